"""Helpers for SDK tests: run scons as a user would, write throwaway descriptions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sdk.errors import ROOT

SCONS = str(Path(sys.executable).with_name("scons"))


def scons(*args: str, env: dict[str, str] | None = None,
          timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, SCONS, "-Q", *args], cwd=ROOT, capture_output=True,
                          text=True, env=env or os.environ.copy(), timeout=timeout)


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> str:
    """The SDK's contract for user mistakes: exit status not 0, one line, no traceback."""
    assert proc.returncode != 0, proc.stdout + proc.stderr
    err = proc.stderr.strip()
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = [ln for ln in err.splitlines() if ln.startswith("apogee: error:")]
    assert len(lines) == 1, err
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def board_file(tmp_path: Path):  # noqa: ANN201 - returns a factory
    """Write a board description into a temporary file and return its path."""

    def make(text: str, name: str = "myboard") -> Path:
        p = tmp_path / f"{name}.py"
        p.write_text(text)
        return p

    return make
