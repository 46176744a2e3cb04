"""The STM32 clock solver: PLL factors, bus prescalers and flash wait states from
a board's clock source and SYSCLK target.

The main PLL (RM0090 for STM32F4, RM0410 for STM32F7):
    f_vco_in  = f_src / M          must lie in 1..2 MHz (2 MHz lowers jitter)
    f_vco     = f_vco_in * N       must lie in 100..432 MHz, N in 50..432
    SYSCLK    = f_vco / P          P in {2, 4, 6, 8}
    f_48      = f_vco / Q          Q in 2..15; exactly 48 MHz when USB is used
The solver wants exact frequencies: a board asking for 216 MHz gets 216 MHz or
an error that says why not and what is closest.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdk.errors import SdkError
from sdk.model import Chip, Hse, Hsi

MHZ = 1_000_000


@dataclass(frozen=True)
class Stm32ClockLimits:
    hsi_hz: int
    sysclk_max: int
    apb1_max: int
    apb2_max: int
    # Highest HCLK for 0, 1, 2, ... flash wait states at 2.7-3.6 V.
    ws_step: int = 30 * MHZ
    vco_in_min: int = 1 * MHZ
    vco_in_max: int = 2 * MHZ
    vco_min: int = 100 * MHZ
    vco_max: int = 432 * MHZ
    n_min: int = 50
    n_max: int = 432
    # Above this SYSCLK the regulator's over-drive mode is required (F42x/F7).
    overdrive_above: int = 0


@dataclass(frozen=True)
class ClockSolution:
    source: str  # "hse", "hse-bypass", "hsi"
    source_hz: int
    sysclk_hz: int
    pll_m: int = 0
    pll_n: int = 0
    pll_p: int = 0
    pll_q: int = 0
    ahb_div: int = 1
    apb1_div: int = 1
    apb2_div: int = 1
    flash_wait_states: int = 0
    overdrive: bool = False

    @property
    def uses_pll(self) -> bool:
        return self.pll_m != 0

    @property
    def hclk_hz(self) -> int:
        return self.sysclk_hz // self.ahb_div

    @property
    def pclk1_hz(self) -> int:
        return self.hclk_hz // self.apb1_div

    @property
    def pclk2_hz(self) -> int:
        return self.hclk_hz // self.apb2_div

    def bus_hz(self, bus: str) -> int:
        return {"ahb": self.hclk_hz, "apb1": self.pclk1_hz, "apb2": self.pclk2_hz}[bus]


class ClockError(SdkError):
    pass


def limits_for(chip: Chip) -> Stm32ClockLimits:
    f = chip.facts
    return Stm32ClockLimits(
        hsi_hz=f.get("hsi_hz", 16 * MHZ),
        sysclk_max=f["sysclk_max"],
        apb1_max=f["apb1_max"],
        apb2_max=f["apb2_max"],
        overdrive_above=f.get("overdrive_above", 0),
    )


def _prescaler(hclk: int, limit: int) -> int:
    for div in (1, 2, 4, 8, 16):
        if hclk // div <= limit:
            return div
    raise ClockError(f"no APB prescaler brings {hclk} Hz under {limit} Hz")


def wait_states(hclk: int, lim: Stm32ClockLimits) -> int:
    return (hclk - 1) // lim.ws_step if hclk > 0 else 0


def solve(
    chip: Chip, source: Hse | Hsi, sysclk_hz: int, usb_48mhz: bool = False
) -> ClockSolution:
    """Solve the clock tree, or raise ClockError saying why the target is unreachable."""
    lim = limits_for(chip)
    if isinstance(source, Hse):
        src_hz = source.hz
        src = "hse-bypass" if source.bypass else "hse"
        if not 4 * MHZ <= src_hz <= 26 * MHZ:
            raise ClockError(f"HSE of {src_hz} Hz is outside the 4-26 MHz the chip accepts")
    else:
        src_hz, src = lim.hsi_hz, "hsi"
    if sysclk_hz <= 0:
        raise ClockError(f"SYSCLK target must be positive, found {sysclk_hz}")
    if sysclk_hz > lim.sysclk_max:
        raise ClockError(
            f"SYSCLK {sysclk_hz} Hz is above {chip.name}'s maximum of {lim.sysclk_max} Hz"
        )

    def finish(**pll: int) -> ClockSolution:
        apb1 = _prescaler(sysclk_hz, lim.apb1_max)
        apb2 = _prescaler(sysclk_hz, lim.apb2_max)
        return ClockSolution(
            source=src, source_hz=src_hz, sysclk_hz=sysclk_hz, apb1_div=apb1, apb2_div=apb2,
            flash_wait_states=wait_states(sysclk_hz, lim),
            overdrive=bool(lim.overdrive_above) and sysclk_hz > lim.overdrive_above, **pll,
        )

    if sysclk_hz == src_hz and not usb_48mhz:
        return finish()

    best: int | None = None
    for m in range(2, 64):
        if src_hz % m:
            continue
        vco_in = src_hz // m
        if not lim.vco_in_min <= vco_in <= lim.vco_in_max:
            continue
        for p in (2, 4, 6, 8):
            vco = sysclk_hz * p
            if not lim.vco_min <= vco <= lim.vco_max:
                continue
            if vco % vco_in:
                near = (vco // vco_in) * vco_in // p
                if best is None or abs(near - sysclk_hz) < abs(best - sysclk_hz):
                    best = near
                continue
            n = vco // vco_in
            if not lim.n_min <= n <= lim.n_max:
                continue
            q = 0
            if usb_48mhz:
                if vco % (48 * MHZ) or not 2 <= vco // (48 * MHZ) <= 15:
                    continue
                q = vco // (48 * MHZ)
            else:
                # Keep the 48 MHz domain within its limit even when unused.
                q = max(2, -(-vco // (48 * MHZ)))
            return finish(pll_m=m, pll_n=n, pll_p=p, pll_q=q)
    why = f"no PLL factors give exactly {sysclk_hz} Hz from {src.upper()} {src_hz} Hz"
    if usb_48mhz:
        why += " with a 48 MHz USB clock"
    if best is not None:
        why += f" (closest: {best} Hz)"
    raise ClockError(why)
