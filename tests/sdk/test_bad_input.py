"""Every mistake a user can make gets one clear line and a non-zero exit: no
traceback, no compiler error in generated code, nothing half-written."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sdk import loader, validate
from sdk.errors import ROOT, DescriptionError
from sdk.model import Chip
from tests.sdk.conftest import assert_one_line_error, scons

GOOD_BOARD = '''
from sdk.model import Board, Console, Emulated, Led
BOARD = Board(
    name="myboard", description="a test board", chip="an385",
    console=Console(uart="UART0"),
    leds=({leds}),
    emulator=Emulated(qemu="qemu-system-arm", machine="mps2-an385"),
    {extra}
)
'''


def board_text(leds: str = 'Led("L0", pin="LED0"),', extra: str = "") -> str:
    return GOOD_BOARD.format(leds=leds, extra=extra)


def test_unknown_board_lists_the_valid_ones() -> None:
    line = assert_one_line_error(scons("board=nucleo-f999"), "unknown board 'nucleo-f999'")
    assert "mps2-an385" in line and "native" in line


def test_unknown_app_lists_the_valid_ones() -> None:
    line = assert_one_line_error(scons("board=mps2-an385", "app=helo"), "unknown app 'helo'")
    assert "hello" in line and "blinky" in line


def test_no_board_says_which_are_there() -> None:
    assert_one_line_error(scons(), "say which board", "mps2-an385")


def test_unknown_target_and_option() -> None:
    assert_one_line_error(scons("board=mps2-an385", "flassh"), "unknown target 'flassh'")
    assert_one_line_error(scons("board=mps2-an385", "bord=x"), "unknown option bord=")


def test_a_good_board_file_builds(board_file) -> None:  # noqa: ANN001
    p = board_file(board_text())
    proc = scons(f"board={p}")
    assert proc.returncode == 0, proc.stderr


def test_pin_that_does_not_exist(board_file) -> None:  # noqa: ANN001
    p = board_file(board_text(leds='Led("L0", pin="LED7"),'))
    assert_one_line_error(scons(f"board={p}"), "myboard.py: leds[0].pin",
                          "expected a pin of an385", "'LED7'")


def test_pin_used_twice(board_file) -> None:  # noqa: ANN001
    p = board_file(board_text(leds='Led("L0", pin="LED0"), Led("L1", pin="LED0"),'))
    assert_one_line_error(scons(f"board={p}"), "leds[1].pin", "not already used by leds[0].pin")


def test_wrong_type_names_the_field(board_file) -> None:  # noqa: ANN001
    p = board_file(board_text(extra='sysclk_hz="216MHz",'))
    assert_one_line_error(scons(f"board={p}"), "sysclk_hz", "expected an integer", "'216MHz'")


def test_misspelt_field_and_syntax_error(board_file) -> None:  # noqa: ANN001
    p = board_file(board_text(extra="consol=1,"))
    assert_one_line_error(scons(f"board={p}"), "myboard.py:", "consol")
    p = board_file("BOARD = Board(\n", name="broken")
    assert_one_line_error(scons(f"board={p}"), "broken.py:", "syntax error")


def test_unknown_chip(board_file) -> None:  # noqa: ANN001
    p = board_file(board_text().replace('chip="an385"', 'chip="an999"'))
    assert_one_line_error(scons(f"board={p}"), "myboard.py: chip", "an385", "'an999'")


def _chip_error(tmp_path: Path, text: str) -> str:
    p = tmp_path / "mychip.py"
    p.write_text(text)
    with pytest.raises(DescriptionError) as e:
        validate.check_chip(loader.exec_description(p, "CHIP", Chip), p)
    msg = str(e.value)
    assert "\n" not in msg
    return msg


CHIP = '''
from sdk.model import Chip, Core, Memory, Peripheral
CHIP = Chip(name="mychip", vendor="x", core=Core("armv7-m", "cortex-m3", irq_count=8),
    memories=({memories}), peripherals=({peripherals}))
'''


def test_overlapping_memories(tmp_path: Path) -> None:
    msg = _chip_error(tmp_path, CHIP.format(
        memories='Memory("flash", 0x0, 0x1000, "flash"), Memory("ram", 0x800, 0x1000, "ram"),',
        peripherals=""))
    assert "mychip.py: memories (ram)" in msg and "0x1000" in msg and "0x800" in msg


def test_irq_claimed_twice(tmp_path: Path) -> None:
    msg = _chip_error(tmp_path, CHIP.format(
        memories='Memory("ram", 0x20000000, 0x1000, "ram"),',
        peripherals='Peripheral("A", "arm/cmsdk_uart", 0x1000, irq=3), '
                    'Peripheral("B", "arm/cmsdk_uart", 0x2000, irq=3),'))
    assert "peripherals[1] (B).irq" in msg and "not claimed by A" in msg


def test_irq_out_of_range(tmp_path: Path) -> None:
    msg = _chip_error(tmp_path, CHIP.format(
        memories='Memory("ram", 0x20000000, 0x1000, "ram"),',
        peripherals='Peripheral("A", "arm/cmsdk_uart", 0x1000, irq=8),'))
    assert "expected 0..7" in msg


def test_unreachable_clock_target() -> None:
    board = (ROOT / "boards" / "nucleo-f767zi.py")
    if not board.is_file():
        pytest.skip("the STM32 boards have not landed yet")
    text = board.read_text().replace("216", "217")
    assert "217" in text
    tmp = ROOT / "build" / "test-boards" / "f767-217.py"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(text)
    assert_one_line_error(scons(f"board={tmp}"), "sysclk_hz", "217000000")


def test_app_that_does_not_fit(tmp_path: Path) -> None:
    app = tmp_path / "big"
    app.mkdir()
    (app / "main.c").write_text("int app_main(void) { return 0; }\n")
    (app / "app.py").write_text(
        'from sdk.model import App, MiB\n'
        'APP = App(name="big", description="too big", sizes={"FRAME_BYTES": 8 * MiB})\n')
    line = assert_one_line_error(scons("board=mps2-an385", f"app={app}"), "app.py: sizes",
                                 "mps2-an385")
    assert "8390912 bytes" in line  # what it needs, stated: 8 MiB + stack + HAL
    assert not (ROOT / "build" / "mps2-an385" / "big").exists()  # nothing half-written


def _toolbox(tmp_path: Path, keep: tuple[str, ...]) -> dict[str, str]:
    """A PATH with only the named tools (and the shell basics)."""
    box = tmp_path / "bin"
    box.mkdir()
    for d in os.environ["PATH"].split(":"):
        for f in Path(d).glob("*") if Path(d).is_dir() else []:
            if f.name.startswith(keep) and not (box / f.name).exists():
                (box / f.name).symlink_to(f)
    env = dict(os.environ)
    env["PATH"] = str(box)
    return env


def test_missing_toolchain_names_the_package(tmp_path: Path) -> None:
    env = _toolbox(tmp_path, ("python",))
    assert_one_line_error(scons("board=mps2-an385", env=env), "arm-none-eabi-gcc not found",
                          "gcc-arm-none-eabi")


def test_missing_qemu_names_the_package(tmp_path: Path) -> None:
    # The image is built first with the full PATH: this is about running without
    # QEMU, and a rebuild in the bare toolbox (no shell) would fail for another
    # reason whenever an earlier change left hello out of date.
    built = scons("board=mps2-an385", "app=hello")
    assert built.returncode == 0, built.stdout + built.stderr
    env = _toolbox(tmp_path, ("arm-none-eabi-", "python"))
    proc = scons("board=mps2-an385", "app=hello", "run", env=env)
    assert proc.returncode != 0
    assert "qemu-system-arm not found: install the Debian package qemu-system-arm" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_flash_without_a_probe_fails_fast() -> None:
    if not (ROOT / "boards" / "nucleo-f767zi.py").is_file():
        pytest.skip("the STM32 boards have not landed yet")
    proc = scons("board=stm32f7", "flash", timeout=60)
    assert proc.returncode != 0
    assert "no debug probe attached" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_flash_of_an_emulated_only_board_says_run() -> None:
    proc = scons("board=riscv-virt", "flash")
    assert proc.returncode != 0
    assert "is not flashed" in proc.stderr and "run" in proc.stderr


@pytest.mark.skipif(shutil.which("qemu-system-arm") is None, reason="needs QEMU")
def test_run_of_a_hardware_only_board_says_flash() -> None:
    if not (ROOT / "boards" / "nucleo-f767zi.py").is_file():
        pytest.skip("the STM32 boards have not landed yet")
    proc = scons("board=nucleo-f767zi", "run")
    assert proc.returncode != 0
    assert "hardware only" in proc.stderr
