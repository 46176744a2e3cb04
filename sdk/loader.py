"""Find and load descriptions, turning every Python-level mistake in them into a
one-line DescriptionError.

Descriptions are plain Python files that assign one name: BOARD in boards/*.py,
CHIP in hal/chips/*.py, BLOCK in hal/**/regs.py, APP in examples/*/app.py.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

from sdk.errors import ROOT, DescriptionError, SdkError, rel
from sdk.typecheck import check

BOARDS_DIR = ROOT / "boards"
CHIPS_DIR = ROOT / "hal" / "chips"
HAL_DIR = ROOT / "hal"
EXAMPLES_DIR = ROOT / "examples"


def _line_of(exc: BaseException, file: Path) -> str:
    """The line of the description where the exception arose, as ':N', or ''."""
    if isinstance(exc, SyntaxError) and exc.lineno:
        return f":{exc.lineno}"
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if Path(frame.filename).resolve() == file.resolve():
            return f":{frame.lineno}"
    return ""


def exec_description(file: Path, name: str, kind: type) -> Any:
    """Run a description file and return the object it assigns to `name`."""
    if not file.is_file():
        raise SdkError(f"{rel(file)}: no such description file")
    scope: dict[str, Any] = {"__file__": str(file), "__name__": f"apogee_desc_{file.stem}"}
    try:
        code = compile(file.read_text(), str(file), "exec")
        exec(code, scope)
    except SdkError:
        raise
    except Exception as exc:  # a user's description can fail in any way; report it
        msg = str(exc).replace("\n", " ") or type(exc).__name__
        if isinstance(exc, SyntaxError):
            msg = f"syntax error: {exc.msg}"
        elif isinstance(exc, TypeError) and "__init__()" in msg:
            msg = msg.replace("__init__() ", "")
        raise SdkError(f"{rel(file)}{_line_of(exc, file)}: {msg}") from None
    if name not in scope:
        raise DescriptionError(file, name, f"the file to assign {name} = {kind.__name__}(...)",
                               "no such name")
    obj = scope[name]
    if not isinstance(obj, kind):
        raise DescriptionError(file, name, f"{kind.__name__}(...)", type(obj).__name__)
    check(obj, file)
    return obj


def board_files() -> dict[str, Path]:
    return {p.stem: p for p in sorted(BOARDS_DIR.glob("*.py")) if not p.stem.startswith("_")}


def app_files() -> dict[str, Path]:
    return {p.parent.name: p for p in sorted(EXAMPLES_DIR.glob("*/app.py"))}


def chip_file(name: str) -> Path:
    return CHIPS_DIR / f"{name}.py"


def block_file(block: str) -> Path:
    return HAL_DIR / block / "regs.py"
