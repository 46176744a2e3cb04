"""pyocd over QEMU: `scons flash` on an emulated Cortex-M board goes through
pyocd's Python API (probe, FileProgrammer, reset) exactly as on hardware, with
QEMU's gdbstub as the probe. The image that runs is the one pyocd wrote."""

from __future__ import annotations

import shutil

import pytest

from sdk.errors import ROOT
from tests.sdk.conftest import scons

pytestmark = [
    pytest.mark.qemu,
    pytest.mark.skipif(shutil.which("qemu-system-arm") is None, reason="needs QEMU"),
]


@pytest.mark.parametrize("board", ["mps2-an385", "mps2-an500"])
def test_flash_writes_through_pyocd_and_the_image_runs(board: str) -> None:
    proc = scons(f"board={board}", "app=blinky", "flash", timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"flashed build/{board}/blinky/blinky.elf" in proc.stdout
    assert "through probe qemu:127.0.0.1:" in proc.stdout
    assert "toggle 10: set off, read off" in proc.stdout
    assert "blinky: done, 0 mismatches" in proc.stdout


def test_flash_passes_the_firmware_exit_status() -> None:
    app = ROOT / "tests" / "boards" / "apps" / "exitstatus"
    proc = scons("board=mps2-an385", f"app={app}", "flash", timeout=120)
    assert "exitstatus: mps2-an385 returns 42" in proc.stdout
    assert proc.returncode == 42


def test_flash_of_a_changed_image_runs_the_new_one(tmp_path) -> None:  # noqa: ANN001
    """No stale image: QEMU starts empty, so only what pyocd wrote can run."""
    app = tmp_path / "marker"
    app.mkdir()
    (app / "app.py").write_text(
        'from sdk.model import App\nAPP = App(name="marker", description="prints a marker")\n')
    for word in ("first", "second"):
        (app / "main.c").write_text(
            '#include "apogee/print.h"\n'
            f'int app_main(void) {{ apg_printf("marker: {word}\\r\\n"); return 0; }}\n')
        proc = scons("board=mps2-an385", f"app={app}", "flash", timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert f"marker: {word}" in proc.stdout
