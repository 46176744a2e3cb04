"""The STM32 clock solver, checked against the PLL equations and limits of the
reference manuals rather than against remembered factors."""

from __future__ import annotations

import pytest

from sdk.clocks import ClockError, limits_for, solve
from sdk.model import Chip, Core, Hse, Hsi

MHZ = 1_000_000

F767 = Chip(name="stm32f767zi", vendor="ST", core=Core("armv7e-m", "cortex-m7"), memories=(),
            clock_tree="stm32f7", facts={"sysclk_max": 216 * MHZ, "apb1_max": 54 * MHZ,
                                         "apb2_max": 108 * MHZ, "overdrive_above": 180 * MHZ})
F405 = Chip(name="stm32f405rg", vendor="ST", core=Core("armv7e-m", "cortex-m4"), memories=(),
            clock_tree="stm32f4", facts={"sysclk_max": 168 * MHZ, "apb1_max": 42 * MHZ,
                                         "apb2_max": 84 * MHZ})


def check_valid(chip: Chip, src_hz: int, target: int, usb: bool = False) -> None:
    sol = solve(chip, Hse(src_hz, bypass=True), target, usb)
    lim = limits_for(chip)
    vco_in = src_hz / sol.pll_m
    vco = vco_in * sol.pll_n
    assert 2 <= sol.pll_m <= 63
    assert lim.vco_in_min <= vco_in <= lim.vco_in_max
    assert lim.n_min <= sol.pll_n <= lim.n_max
    assert lim.vco_min <= vco <= lim.vco_max
    assert sol.pll_p in (2, 4, 6, 8)
    assert vco / sol.pll_p == target == sol.sysclk_hz
    assert 2 <= sol.pll_q <= 15 and vco / sol.pll_q <= 48 * MHZ
    if usb:
        assert vco / sol.pll_q == 48 * MHZ
    assert sol.pclk1_hz <= lim.apb1_max and sol.pclk2_hz <= lim.apb2_max
    # One wait state per 30 MHz of HCLK at 2.7-3.6 V (RM0410 table 7, RM0090 table 10).
    assert sol.flash_wait_states == -(-target // (30 * MHZ)) - 1


def test_f767_at_216_mhz_from_the_stlink_8_mhz() -> None:
    check_valid(F767, 8 * MHZ, 216 * MHZ)
    sol = solve(F767, Hse(8 * MHZ, bypass=True), 216 * MHZ)
    assert sol.flash_wait_states == 7
    assert sol.overdrive  # above 180 MHz the F7 needs over-drive
    assert sol.source == "hse-bypass"


@pytest.mark.parametrize("target", [48, 72, 96, 100, 120, 144, 168, 180, 200, 216])
def test_f767_many_targets(target: int) -> None:
    check_valid(F767, 8 * MHZ, target * MHZ)


@pytest.mark.parametrize("target", [48, 72, 96, 120, 144, 168])
def test_f405_from_25_mhz_crystal_with_usb(target: int) -> None:
    check_valid(F405, 25 * MHZ, target * MHZ, usb=True)


def test_impossible_targets_fail_with_a_reason() -> None:
    with pytest.raises(ClockError, match=r"above stm32f767zi's maximum of 216000000"):
        solve(F767, Hse(8 * MHZ, True), 240 * MHZ)
    with pytest.raises(ClockError, match=r"no PLL factors give exactly 200000001 Hz"):
        solve(F767, Hse(8 * MHZ, True), 200 * MHZ + 1)
    with pytest.raises(ClockError, match=r"outside the 4-26 MHz"):
        solve(F767, Hse(30 * MHZ), 100 * MHZ)
    with pytest.raises(ClockError, match=r"48 MHz USB"):
        solve(F767, Hse(8 * MHZ, True), 180 * MHZ, usb_48mhz=True)  # VCO 360 MHz / 48 = 7.5


def test_hsi_without_pll() -> None:
    sol = solve(F767, Hsi(), 16 * MHZ)
    assert not sol.uses_pll and sol.flash_wait_states == 0
