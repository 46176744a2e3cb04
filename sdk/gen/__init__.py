"""Generators: descriptions in, C and linker scripts out, all under build/.

Each generator is a pure function of a validated Target returning text; write()
puts it on disk only when it changed, so SCons rebuilds exactly what depends on
a changed description, and a failed load writes nothing at all.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).parent / "templates"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    undefined=jinja2.StrictUndefined,  # a missing value is an error, never ""
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["hex"] = lambda v, w=8: f"0x{v:0{w}X}u"
_env.filters["ldhex"] = lambda v: f"0x{v:08X}"


def render(template: str, **values: object) -> str:
    return _env.get_template(template).render(**values)


def write(path: Path, text: str) -> bool:
    """Write text to path unless it already holds exactly that; True if written."""
    if path.is_file() and path.read_text() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    tmp.replace(path)
    return True
