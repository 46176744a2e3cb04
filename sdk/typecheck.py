"""Check a description's values against the dataclass field types.

Python does not check dataclass types at run time; a board written with
sysclk_hz="216MHz" would otherwise reach a generator and fail far from the
mistake. This walks the dataclass and reports the first value of the wrong type
with the dotted field path.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path
from typing import Any

from sdk.errors import DescriptionError


def _describe(tp: Any) -> str:
    if tp is type(None):
        return "None"
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(a) for a in typing.get_args(tp))
    if origin is tuple:
        return f"a tuple of {_describe(typing.get_args(tp)[0])}"
    if origin is dict:
        k, v = typing.get_args(tp)
        return f"a dict of {_describe(k)} to {_describe(v)}"
    if dataclasses.is_dataclass(tp):
        return f"{tp.__name__}(...)"
    return {int: "an integer", str: "a string", bool: "True or False"}.get(tp, tp.__name__)


def _matches(value: Any, tp: Any) -> bool:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return any(_matches(value, a) for a in typing.get_args(tp))
    if tp is type(None):
        return value is None
    if origin is tuple:
        return isinstance(value, tuple)
    if origin is dict:
        return isinstance(value, dict)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, tp)


def check(obj: Any, file: Path, path: str = "") -> None:
    """Raise DescriptionError at the first field whose value has the wrong type."""
    hints = typing.get_type_hints(type(obj))
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        tp = hints[f.name]
        where = f"{path}{f.name}"
        if not _matches(value, tp):
            raise DescriptionError(file, where, _describe(tp), value)
        _check_inside(value, tp, file, where)


def _check_inside(value: Any, tp: Any, file: Path, where: str) -> None:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        for a in typing.get_args(tp):
            if _matches(value, a):
                _check_inside(value, a, file, where)
                return
    elif origin is tuple:
        (item,) = typing.get_args(tp)[:1]
        for i, v in enumerate(value):
            if not _matches(v, item):
                raise DescriptionError(file, f"{where}[{i}]", _describe(item), v)
            _check_inside(v, item, file, f"{where}[{i}]")
    elif origin is dict:
        kt, vt = typing.get_args(tp)
        for k, v in value.items():
            if not _matches(k, kt):
                raise DescriptionError(file, f"{where} key", _describe(kt), k)
            if not _matches(v, vt):
                raise DescriptionError(file, f"{where}[{k!r}]", _describe(vt), v)
    elif dataclasses.is_dataclass(value):
        check(value, file, f"{where}.")
