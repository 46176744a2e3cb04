"""The SDK's one error type: a user mistake reported as one line, never a traceback."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rel(path: str | Path) -> str:
    """A path as the user would type it: relative to the project when inside it."""
    p = Path(path).resolve()
    try:
        return str(p.relative_to(ROOT))
    except ValueError:
        return str(p)


class SdkError(Exception):
    """A mistake the user can fix. str() is the whole message, on one line."""


class DescriptionError(SdkError):
    """A description (board, chip, register block, app) is wrong.

    The message names the file, the field, what was expected and what was found.
    """

    def __init__(self, file: str | Path, field: str, expected: str, found: object) -> None:
        self.file = rel(file)
        self.field = field
        self.expected = expected
        self.found = found
        super().__init__(f"{self.file}: {field}: expected {expected}, found {found!r}")
