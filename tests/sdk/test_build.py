"""The build as a user runs it: reproducible images, the heap check, size report,
the board list, and a description change rebuilding exactly what it touches."""

from __future__ import annotations

import shutil
from pathlib import Path

from sdk.errors import ROOT
from tests.sdk.conftest import assert_one_line_error, scons


def test_two_clean_builds_give_identical_bytes() -> None:
    out = ROOT / "build" / "mps2-an385" / "blinky"
    images = []
    for _ in range(2):
        shutil.rmtree(out, ignore_errors=True)
        proc = scons("board=mps2-an385", "app=blinky")
        assert proc.returncode == 0, proc.stderr
        images.append({s: (out / f"blinky{s}").read_bytes() for s in (".elf", ".bin", ".hex")})
    assert images[0] == images[1]


def test_build_prints_a_size_summary_and_writes_all_artifacts() -> None:
    shutil.rmtree(ROOT / "build" / "mps2-an385" / "hello", ignore_errors=True)
    proc = scons("board=mps2-an385", "app=hello")
    assert proc.returncode == 0, proc.stderr
    line = next(ln for ln in proc.stdout.splitlines() if "hello.elf: flash" in ln)
    flash = int(line.split("flash ")[1].split(" B")[0])
    ram = int(line.split("RAM ")[1].split(" B")[0])
    assert 0 < flash < 2048 and 0 < ram < 1024  # the hello-image goal in GOALS.md
    for suffix in (".elf", ".bin", ".hex", ".map"):
        assert (ROOT / "build" / "mps2-an385" / "hello" / f"hello{suffix}").is_file()


def test_size_target_reports_sections_and_components() -> None:
    proc = scons("board=mps2-an385", "app=hello", "size")
    assert proc.returncode == 0, proc.stderr
    assert ".text" in proc.stdout and "hal/arm/cmsdk_uart" in proc.stdout
    assert "stack" in proc.stdout and "total" in proc.stdout


def test_boards_lists_every_board_with_a_description() -> None:
    proc = scons("boards")
    assert proc.returncode == 0
    names = [ln.split()[0] for ln in proc.stdout.splitlines() if ln.strip()]
    expected = sorted(p.stem for p in (ROOT / "boards").glob("*.py"))
    assert sorted(names) == expected


def test_heap_use_fails_the_build_naming_symbol_and_object(tmp_path: Path) -> None:
    app = tmp_path / "leaky"
    app.mkdir()
    (app / "main.c").write_text(
        "#include <stdlib.h>\n"
        "int app_main(void) { char *p = malloc(16); int r = p != 0; free(p); return r; }\n")
    (app / "app.py").write_text(
        'from sdk.model import App\nAPP = App(name="leaky", description="uses the heap")\n')
    for board in ("mps2-an385", "native"):
        line = assert_one_line_error(scons(f"board={board}", f"app={app}"), "malloc",
                                     "allocate nothing")
        assert "main.o" in line
        assert not (ROOT / "build" / board / "leaky" / "leaky.elf").exists()


def test_a_description_change_rebuilds_only_what_depends_on_it(tmp_path: Path) -> None:
    board = tmp_path / "tweak.py"
    text = (ROOT / "boards" / "mps2-an385.py").read_text().replace(
        'name="mps2-an385"', 'name="tweak"')
    board.write_text(text)
    assert scons(f"board={board}", "app=blinky").returncode == 0
    noop = scons(f"board={board}", "app=blinky")
    assert "CC " not in noop.stdout and "LINK" not in noop.stdout
    board.write_text(text.replace('Led("LED1", pin="LED1")', 'Led("LED1", pin="LED1"), '
                                  ).replace('console=Console(uart="UART0")',
                                            'console=Console(uart="UART0", baud=9600)'))
    again = scons(f"board={board}", "app=blinky")
    compiled = [ln.split()[-1] for ln in again.stdout.splitlines() if ln.startswith("CC ")]
    # The baud rate lives in board_config.h: files including it rebuild, others do not.
    assert "hal/arm/cmsdk_uart/cmsdk_uart.c" in compiled
    assert "hal/common/print.c" not in compiled
    shutil.rmtree(ROOT / "build" / "tweak", ignore_errors=True)


def test_a_changed_app_size_rebuilds_every_object_that_sees_it(tmp_path: Path) -> None:
    """Sizes reach the C through -include apogee_config.h, which SCons's scanner
    does not follow; an object left stale would disagree with the others about
    the size of a struct (seen: a pool overrun at start-up)."""
    app = tmp_path / "sized"
    app.mkdir()
    (app / "other.c").write_text("unsigned foo_size(void) { return APOGEE_FOO; }\n")
    (app / "main.c").write_text(
        '#include "apogee/print.h"\nunsigned foo_size(void);\n'
        'int app_main(void) { apg_printf("foo %u\\r\\n", foo_size()); return 0; }\n')
    for value in (1, 2):
        (app / "app.py").write_text(
            "from sdk.model import App\n"
            f'APP = App(name="sized", description="d", sources=("main.c", "other.c"), '
            f'sizes={{"FOO": {value}}})\n')
        proc = scons("board=mps2-an385", f"app={app}", "run", "timeout=20")
        assert proc.returncode == 0, proc.stderr
        assert f"foo {value}" in proc.stdout
