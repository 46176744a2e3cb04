"""Benchmark (not a test): build times and image sizes across every board and app.

    .venv/bin/python tests/bench/bench_build.py

Prints: a clean build of every board x app in one scons run and its no-op rebuild,
the same one `scons board=B app=A` call at a time, and hello's flash and RAM on
each board. The figures go into docs/build.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sdk.loader import app_files, board_files  # noqa: E402
from sdk.size import report  # noqa: E402
from sdk.target import load_board_file  # noqa: E402

SCONS = str(Path(sys.executable).with_name("scons"))
APPS = ("hello", "blinky")


def scons(*args: str) -> float:
    start = time.monotonic()
    proc = subprocess.run([SCONS, "-Q", *args], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"scons {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
    return time.monotonic() - start


def build_each() -> float:
    """Every board x app, one scons call each, as a user building one at a time."""
    return sum(scons(f"board={board}", f"app={app}") for board in boards() for app in APPS)


def clean() -> None:
    for board in boards():  # build/host belongs to the host tests: left alone
        shutil.rmtree(ROOT / "build" / board, ignore_errors=True)
    for f in ROOT.glob(".sconsign*"):
        f.unlink()


def boards() -> list[str]:
    return sorted(load_board_file(p).name for p in board_files().values())


def main() -> None:
    assert set(APPS) <= set(app_files())
    n = len(boards()) * len(APPS)
    clean()
    whole = scons("board=all", "app=all")
    noop = scons("board=all", "app=all")
    clean()
    each = build_each()
    each_noop = build_each()
    print(f"`scons board=all app=all` ({n} images, -j{os.cpu_count()}): clean build "
          f"{whole:.1f} s, no-op rebuild {noop:.2f} s")
    print(f"one `scons board=B app=A` call per image: clean {each:.1f} s in all, no-op "
          f"{each_noop / n:.2f} s per call")
    print()
    print(f"{'board':<16}{'hello flash':>12}{'hello RAM':>11}")
    for board in boards():
        r = report(ROOT / "build" / board / "hello" / "hello.elf")
        print(f"{board:<16}{r.flash:>12}{r.ram:>11}")


if __name__ == "__main__":
    main()
