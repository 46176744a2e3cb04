"""The RISC-V boards: riscv-virt (QEMU virt, RV32IMAC) and hifive1 (FE310-G002).

- hello, blinky and two test apps build and run under QEMU through
  `scons ... run`, as a user runs them: the console text and the exit status
  (SiFive test device on virt, semihosting on sifive_e) are asserted;
- a trap is reported with its cause and ends the run with status 128 + mcause;
  a stack overflow runs into a PMP-guarded region and is reported too;
- with semihosting off (as on a board with no debugger), hal_exit's ebreak
  parks the hart quietly instead of reporting a fault;
- the images sit where each machine starts (virt: RAM at 0x80000000; HiFive1
  Rev B: flash at 0x20010000 after SiFive's boot loader), with the data in the
  FE310's 16 KiB scratchpad;
- the CLINT's mtime rate comes from the board (HiFive1: 32768 Hz) over the chip.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from sdk import build
from sdk.target import Target

ROOT = Path(__file__).resolve().parents[2]
SCONS = str(ROOT / ".venv" / "bin" / "scons")
APPS = ROOT / "tests" / "boards" / "apps"
BOARDS = ["riscv-virt", "hifive1"]

pytestmark = pytest.mark.qemu


def scons(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SCONS, "-Q", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


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


def run(board: str, app: str) -> tuple[int, list[str]]:
    """Build and run with `scons run`; the exit status and the console's lines."""
    proc = scons(f"board={board}", f"app={app}", "run", "timeout=30")
    lines = [ln.rstrip("\r") for ln in proc.stdout.splitlines()]
    console = [ln for ln in lines if not re.match(r"(CC|AS|LINK) +\[|\S+\.elf: flash", ln)]
    assert "stopped after" not in proc.stderr, proc.stdout + proc.stderr
    return proc.returncode, console


@pytest.mark.parametrize("name", BOARDS)
def test_hello_runs_and_exits_zero(name: str) -> None:
    t = Target.load(name, "hello")
    status, console = run(name, "hello")
    assert status == 0, console
    assert console[:3] == [
        f"hello from {name}",
        f"chip: {t.chip.name} ({t.chip.core.cpu or t.chip.core.isa})",
        f"core clock: {t.core_clock_hz} Hz",
    ]
    up = re.fullmatch(r"uptime: (\d+) us", console[3])
    assert up, console
    # QEMU's mtime runs at 10 MHz; HiFive1's description says 32768 Hz (the real
    # board), so under QEMU its microseconds run 10e6/32768 = 305 times fast.
    limit = 1_000_000 if name == "riscv-virt" else 305 * 1_000_000
    assert 0 < int(up.group(1)) < limit


def test_blinky_without_leds_says_so() -> None:
    status, console = run("riscv-virt", "blinky")
    assert (status, console) == (0, ["blinky: riscv-virt has no LED"])


def test_blinky_toggles_hifive1_green_led_active_low() -> None:
    status, console = run("hifive1", "blinky")
    assert status == 0, console
    assert console[0] == "blinky: hifive1 LED green"
    for i in range(1, 11):
        state = "on" if i % 2 else "off"
        assert console[i] == f"toggle {i}: set {state}, read {state}"
    assert console[11] == "blinky: done, 0 mismatches"


@pytest.mark.parametrize("name", BOARDS)
def test_exit_status_reaches_the_host(name: str) -> None:
    status, console = run(name, str(APPS / "exitstatus"))
    assert (status, console) == (42, [f"exitstatus: {name} returns 42"])


@pytest.mark.parametrize("name", BOARDS)
def test_trap_is_reported_and_fails_the_run(name: str) -> None:
    status, console = run(name, str(APPS / "trap"))
    assert console[0] == f"trap: {name} executes an undefined instruction"
    m = re.fullmatch(r"fatal: trap mcause 0x00000002 \(illegal instruction\) "
                     r"mepc 0x([0-9a-f]{8}) mtval 0x[0-9a-f]{8}", console[-1])
    assert m, console
    assert "trap: still running" not in console
    assert status == 128 + 2
    # mepc is the unimp in app_main.
    elf = build.build_dir(Target.load(name, str(APPS / "trap"))) / "trap.elf"
    with elf.open("rb") as f:
        sym = ELFFile(f).get_section_by_name(".symtab").get_symbol_by_name("app_main")[0]
    assert sym["st_value"] <= int(m.group(1), 16) < sym["st_value"] + sym["st_size"]


@pytest.mark.parametrize("name", BOARDS)
def test_stack_overflow_hits_the_pmp_guard(name: str) -> None:
    """A locked PMP entry denies the 128 bytes below the stack even to machine
    mode: running off the stack is a store access fault (mcause 7) whose mtval
    lies in the guard, not silent damage to .bss."""
    app = str(APPS / "stackoverflow")
    status, console = run(name, app)
    assert console[0] == f"stackoverflow: {name} recurses"
    m = re.fullmatch(r"fatal: trap mcause 0x00000007 \(store access fault\) "
                     r"mepc 0x[0-9a-f]{8} mtval 0x([0-9a-f]{8})", console[-1])
    assert m, console
    assert status == 128 + 7
    elf = build.build_dir(Target.load(name, app)) / "stackoverflow.elf"
    with elf.open("rb") as f:
        symtab = ELFFile(f).get_section_by_name(".symtab")
        guard = symtab.get_symbol_by_name("__stack_guard")[0]["st_value"]
        bottom = symtab.get_symbol_by_name("__stack_bottom")[0]["st_value"]
    assert guard % 128 == 0 and bottom == guard + 128
    assert guard <= int(m.group(1), 16) < bottom


def test_semihosting_exit_without_a_debugger_parks_quietly() -> None:
    """On a HiFive1 with no debugger, hal_exit's ebreak is a breakpoint trap: the
    hart stops there without a fault report. QEMU without semihosting shows it."""
    assert scons("board=hifive1", "app=hello").returncode == 0
    elf = ROOT / "build" / "hifive1" / "hello" / "hello.elf"
    console = runs_on_after_output(
        ["qemu-system-riscv32", "-M", "sifive_e,revb=true", "-display", "none",
         "-monitor", "none", "-serial", "stdio", "-kernel", str(elf)], "uptime:")
    assert "hello from hifive1" in console
    assert "fatal" not in console


def test_harts_other_than_0_are_parked() -> None:
    """With four harts all starting at _start, only hart 0 runs the app."""
    assert scons("board=riscv-virt", "app=hello").returncode == 0
    elf = ROOT / "build" / "riscv-virt" / "hello" / "hello.elf"
    proc = subprocess.run(
        ["timeout", "20", "qemu-system-riscv32", "-M", "virt", "-smp", "4", "-bios", "none",
         "-display", "none", "-monitor", "none", "-serial", "stdio", "-kernel", str(elf)],
        capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stdout.count("hello from riscv-virt") == 1


@pytest.mark.parametrize(("name", "code", "data"), [
    ("riscv-virt", 0x80000000, 0x80000000),
    ("hifive1", 0x20010000, 0x80000000),
])
def test_image_where_the_machine_starts(name: str, code: int, data: int) -> None:
    t = Target.load(name, "hello")
    assert scons(f"board={name}", "app=hello").returncode == 0
    elf = build.build_dir(t) / "hello.elf"
    with elf.open("rb") as f:
        e = ELFFile(f)
        text = e.get_section_by_name(".text")
        assert e["e_entry"] == text["sh_addr"] == code
        ram = max((m for m in t.chip.memories if m.kind == "ram"), key=lambda m: m.size)
        stack_top = e.get_section_by_name(".symtab").get_symbol_by_name("__stack_top")[0]
        assert ram.origin <= data <= stack_top["st_value"] <= ram.origin + ram.size
        # _start (hal/core/riscv32/start.S) is the first code at the entry.
        start = e.get_section_by_name(".symtab").get_symbol_by_name("_start")[0]
        assert start["st_value"] == code


def test_mtime_rate_is_the_boards_over_the_chips() -> None:
    virt = build.generated(Target.load("riscv-virt", "hello"))["board_config.h"]
    hifive = build.generated(Target.load("hifive1", "hello"))["board_config.h"]
    assert "#define CHIP_FACT_MTIME_HZ 10000000u" in virt
    assert "#define BOARD_FACT_MTIME_HZ 32768u" in hifive
    # The FE310 UART divisor comes from the 16 MHz clock the PRCI driver sets.
    assert "#define BOARD_CONSOLE_CLOCK_HZ 16000000u" in hifive
