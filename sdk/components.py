"""Components an app can link beyond the HAL, and the RAM each needs.

A component is a set of C sources plus a formula for its static RAM from the
app's sizes, so the SDK can refuse an app that does not fit before compiling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Component:
    name: str
    sources: tuple[str, ...]  # globs relative to the project root
    include: tuple[str, ...]
    ram_bytes: Callable[[dict[str, int]], int]
    needs_network: bool = False


COMPONENTS: dict[str, Component] = {}
