"""hello and blinky on every board that can run here, checked through the console
as a user would read it. The same tests run on hardware with --hil-port."""

from __future__ import annotations

import pytest
from pytest_embedded.dut import Dut

from sdk.loader import board_files
from sdk.pytest_plugin import FirmwareRun
from sdk.target import Target, load_board_file

pytestmark = pytest.mark.qemu


def _boards() -> list[str]:
    return sorted(load_board_file(p).name for p in board_files().values())


BOARDS = _boards()


@pytest.mark.parametrize("firmware", ["hello"])
@pytest.mark.parametrize("board", BOARDS)
def test_hello_reports_board_and_exits_zero(
    dut: Dut, board: str, firmware_run: FirmwareRun
) -> None:
    t = Target.load(board, "hello")
    dut.expect_exact(f"hello from {t.board.name}", timeout=20)
    dut.expect_exact(f"chip: {t.chip.name}", timeout=5)
    clock = dut.expect(r"core clock: (\d+) Hz", timeout=5)
    assert int(clock.group(1)) == t.core_clock_hz
    up = dut.expect(r"uptime: (\d+) us", timeout=5)
    assert int(up.group(1)) < 10_000_000
    if not firmware_run.hardware:
        assert firmware_run.wait() == 0


@pytest.mark.parametrize("firmware", ["blinky"])
@pytest.mark.parametrize("board", BOARDS)
def test_blinky_toggles_and_reads_back(dut: Dut, board: str, firmware_run: FirmwareRun) -> None:
    t = Target.load(board, "blinky")
    emulator_missing = () if firmware_run.hardware or not t.board.emulator else \
        t.board.emulator.missing
    if not t.board.leds:
        dut.expect_exact(f"blinky: {t.board.name} has no LED", timeout=20)
        expected_status = 0
    elif "gpio" in emulator_missing:
        # The emulator has no GPIO model: the pin reads 0 whatever is written,
        # and blinky must say so rather than pretend.
        dut.expect_exact(f"blinky: {t.board.name} LED {t.board.leds[0].name}", timeout=20)
        for i in range(1, 11):
            state = "on" if i % 2 else "off"
            dut.expect_exact(f"toggle {i}: set {state}, read off", timeout=5)
        dut.expect_exact("blinky: done, 5 mismatches", timeout=5)
        expected_status = 1
    else:
        dut.expect_exact(f"blinky: {t.board.name} LED {t.board.leds[0].name}", timeout=20)
        for i in range(1, 11):
            state = "on" if i % 2 else "off"
            dut.expect_exact(f"toggle {i}: set {state}, read {state}", timeout=5)
        dut.expect_exact("blinky: done, 0 mismatches", timeout=5)
        expected_status = 0
    if not firmware_run.hardware:
        assert firmware_run.wait() == expected_status
