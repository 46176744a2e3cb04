"""The Raspberry Pi boards: rpi3 (BCM2837, QEMU raspi3b and hardware) and rpi4
(BCM2711, hardware only).

- hello and blinky run on rpi3 under QEMU through `scons ... run` (the ELF,
  entered at EL3 on all four cores): console text and exit status asserted;
- the SD-card folder's kernel8.img, booted the way the firmware boots it (a raw
  image at 0x80000, core 0 alone at EL2), runs hello just the same;
- exceptions are reported with their class and end the run with 128 + class;
  a stack overflow runs into an unmapped guard page and is reported too;
  without semihosting (a board with no debugger) hal_exit parks quietly;
- rpi3 and rpi4 build hello and blinky at 0x80000, and their SD-card folders
  hold exactly kernel8.img (the .bin) and a config.txt for that address;
- the folder writer refuses an image that does not start at the load address.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import time
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from sdk import build, sdcard
from sdk.errors import SdkError
from sdk.target import Target

ROOT = Path(__file__).resolve().parents[2]
SCONS = str(ROOT / ".venv" / "bin" / "scons")
APPS = ROOT / "tests" / "boards" / "apps"
LOAD_ADDRESS = 0x80000


def scons(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SCONS, "-Q", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def console_of(stdout: str) -> list[str]:
    lines = [ln.rstrip("\r") for ln in stdout.splitlines()]
    return [ln for ln in lines if not re.match(r"(CC|AS|LINK) +\[|\S+\.elf: flash", ln)]


def runs_on_after_output(cmd: list[str], last_line: str, grace: float = 1.0) -> str:
    """Start cmd, read its console until last_line, then check that it is still
    running `grace` seconds later (parked, not exited); return the console."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    seen = []
    try:
        deadline = time.monotonic() + 60
        for line in proc.stdout:
            seen.append(line)
            if line.startswith(last_line) or time.monotonic() > deadline:
                break
        time.sleep(grace)
        assert proc.poll() is None, f"exited with {proc.returncode}: {''.join(seen)}"
    finally:
        proc.kill()
        rest = proc.communicate()[0]
    return "".join(seen) + (rest or "")


def run(app: str) -> tuple[int, list[str]]:
    proc = scons("board=rpi3", f"app={app}", "run", "timeout=30")
    assert "stopped after" not in proc.stderr, proc.stdout + proc.stderr
    return proc.returncode, console_of(proc.stdout)


def qemu_raspi3b(image: Path, *extra: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["timeout", str(timeout), "qemu-system-aarch64", "-M", "raspi3b", "-display", "none",
         "-monitor", "none", "-serial", "stdio", *extra, "-kernel", str(image)],
        capture_output=True, text=True)


def built(board: str, app: str) -> Path:
    proc = scons(f"board={board}", f"app={app}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return build.build_dir(Target.load(board, app)) / f"{Path(app).name}.elf"


@pytest.mark.qemu
def test_rpi3_hello_in_qemu() -> None:
    status, console = run("hello")
    assert status == 0, console
    # All four cores start at _start in QEMU; cores 1-3 must stay parked.
    assert sum(line.startswith("hello from") for line in console) == 1
    assert console[:3] == ["hello from rpi3", "chip: bcm2837 (cortex-a53)",
                           "core clock: 1200000000 Hz"]
    up = re.fullmatch(r"uptime: (\d+) us", console[3])
    assert up and 0 < int(up.group(1)) < 1_000_000, console


@pytest.mark.qemu
def test_rpi3_blinky_in_qemu() -> None:
    status, console = run("blinky")
    assert status == 0, console
    assert console[0] == "blinky: rpi3 LED user"
    for i in range(1, 11):
        state = "on" if i % 2 else "off"
        assert console[i] == f"toggle {i}: set {state}, read {state}"
    assert console[11] == "blinky: done, 0 mismatches"


@pytest.mark.qemu
def test_rpi3_exit_status_reaches_the_host() -> None:
    assert run(str(APPS / "exitstatus")) == (42, ["exitstatus: rpi3 returns 42"])


@pytest.mark.qemu
def test_rpi3_exception_is_reported_and_fails_the_run() -> None:
    status, console = run(str(APPS / "trap"))
    assert console[0] == "trap: rpi3 executes an undefined instruction"
    m = re.fullmatch(r"fatal: synchronous exception from EL1 SP_EL1: ESR 0x02000000 "
                     r"\(class 0x00\) ELR 0x([0-9a-f]+) FAR 0x[0-9a-f]+", console[-1])
    assert m, console
    assert status == 128  # class 0: unknown reason (an undefined instruction)
    elf = build.build_dir(Target.load("rpi3", str(APPS / "trap"))) / "trap.elf"
    with elf.open("rb") as f:
        sym = ELFFile(f).get_section_by_name(".symtab").get_symbol_by_name("app_main")[0]
    assert sym["st_value"] <= int(m.group(1), 16) < sym["st_value"] + sym["st_size"]


@pytest.mark.qemu
def test_rpi3_stack_overflow_hits_the_guard_page() -> None:
    """The page below the stack is unmapped: running off the stack is a data
    abort at EL1 (class 0x25) with FAR in the guard page, not silent damage."""
    app = str(APPS / "stackoverflow")
    status, console = run(app)
    assert console[0] == "stackoverflow: rpi3 recurses"
    m = re.fullmatch(r"fatal: synchronous exception from EL1 SP_EL1: ESR 0x([0-9a-f]{8}) "
                     r"\(class 0x25\) ELR 0x[0-9a-f]+ FAR 0x([0-9a-f]+)", console[-1])
    assert m, console
    assert status == 128 + 0x25
    elf = build.build_dir(Target.load("rpi3", app)) / "stackoverflow.elf"
    with elf.open("rb") as f:
        symtab = ELFFile(f).get_section_by_name(".symtab")
        guard = symtab.get_symbol_by_name("__stack_guard")[0]["st_value"]
        bottom = symtab.get_symbol_by_name("__stack_bottom")[0]["st_value"]
    assert guard % 4096 == 0 and bottom == guard + 4096
    assert guard <= int(m.group(2), 16) < bottom


@pytest.mark.qemu
def test_rpi3_sdcard_kernel_boots_like_the_firmware_starts_it(tmp_path: Path) -> None:
    """QEMU loads a raw image at 0x80000 and enters it at EL2 on core 0 alone,
    which is how the Raspberry Pi firmware starts kernel8.img."""
    elf = built("rpi3", "hello")
    t = Target.load("rpi3", "hello")
    folder = sdcard.write(elf, t.board, t.chip, tmp_path / "sdcard")
    proc = qemu_raspi3b(folder / "kernel8.img", "-semihosting-config",
                        "enable=on,target=native")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert console_of(proc.stdout)[:2] == ["hello from rpi3", "chip: bcm2837 (cortex-a53)"]


@pytest.mark.qemu
def test_rpi3_exit_without_a_debugger_parks_quietly() -> None:
    """With no debugger, hal_exit's HLT is an undefined instruction: the core
    stops without a fault report. QEMU without semihosting shows it."""
    console = runs_on_after_output(
        ["qemu-system-aarch64", "-M", "raspi3b", "-display", "none", "-monitor", "none",
         "-serial", "stdio", "-kernel", str(built("rpi3", "hello"))], "uptime:")
    assert "hello from rpi3" in console and "fatal" not in console


@pytest.mark.parametrize("app", ["hello", "blinky"])
@pytest.mark.parametrize("name", ["rpi3", "rpi4"])
def test_builds_at_the_load_address_with_an_sdcard_folder(name: str, app: str,
                                                          tmp_path: Path) -> None:
    elf = built(name, app)
    t = Target.load(name, app)
    with elf.open("rb") as f:
        e = ELFFile(f)
        assert e["e_machine"] == "EM_AARCH64"
        assert e["e_entry"] == e.get_section_by_name(".text")["sh_addr"] == LOAD_ADDRESS
    folder = sdcard.write(elf, t.board, t.chip, tmp_path / "sdcard")
    assert sorted(p.name for p in folder.iterdir()) == ["config.txt", "kernel8.img"]
    assert (folder / "kernel8.img").read_bytes() == elf.with_suffix(".bin").read_bytes()
    settings = dict(line.split("=", 1) for line in (folder / "config.txt").read_text().splitlines()
                    if line and not line.startswith("#"))
    assert settings == {"arm_64bit": "1", "kernel": "kernel8.img",
                        "kernel_address": "0x80000", "enable_uart": "1",
                        "dtoverlay": "disable-bt"}


def test_sdcard_folder_defaults_beside_the_image_and_replaces_the_old_one() -> None:
    elf = built("rpi3", "hello")
    t = Target.load("rpi3", "hello")
    stale = elf.parent / "sdcard" / "stale.txt"
    stale.parent.mkdir(exist_ok=True)
    stale.write_text("from an earlier build")
    folder = sdcard.write(elf, t.board, t.chip)
    assert folder == ROOT / "build" / "rpi3" / "hello" / "sdcard"
    assert sorted(p.name for p in folder.iterdir()) == ["config.txt", "kernel8.img"]


def test_sdcard_refuses_an_image_the_firmware_would_load_elsewhere(tmp_path: Path) -> None:
    elf = built("rpi3", "hello")
    t = Target.load("rpi3", "hello")
    moved = dataclasses.replace(t.chip, facts={**t.chip.facts, "load_offset": 0x200000})
    with pytest.raises(SdkError, match="loads kernel8.img at 0x200000"):
        sdcard.write(elf, t.board, moved, tmp_path / "sdcard")
    assert not (tmp_path / "sdcard").exists()
    pico = Target.load("pico", "hello")
    with pytest.raises(SdkError, match="not flashed through an SD card"):
        sdcard.write(elf, pico.board, t.chip, tmp_path / "sdcard")


def test_peripherals_where_each_chip_has_them() -> None:
    """BCM2837 at 0x3F000000, BCM2711 at 0xFE000000 (low-peripheral mode): the
    same PL011 and GPIO blocks, the MMU's device range starting below both."""
    for board, base, device in (("rpi3", 0x3F000000, 0x3F000000),
                                ("rpi4", 0xFE000000, 0xFC000000)):
        config = build.generated(Target.load(board, "hello"))["board_config.h"]
        chip = build.generated(Target.load(board, "hello"))["chip.h"]
        assert f"#define UART0_BASE 0x{base + 0x201000:08X}u" in chip
        assert f"#define GPIO_BASE 0x{base + 0x200000:08X}u" in chip
        assert f"#define CHIP_FACT_PERIPHERAL_BASE {device}u" in config
        assert "#define BOARD_CONSOLE_CLOCK_HZ 48000000u" in config
