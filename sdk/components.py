"""Components an app can link beyond the HAL, and the RAM each needs.

A component is a set of C sources plus a formula for its static RAM from the
app's sizes, so the SDK can refuse an app that does not fit before compiling.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from sdk.errors import ROOT


@dataclass(frozen=True)
class Component:
    name: str
    sources: tuple[str, ...]  # globs relative to the project root
    include: tuple[str, ...]
    ram_bytes: Callable[[dict[str, int]], int]
    needs_network: bool = False
    requires: tuple[str, ...] = ()  # components this one links against


@cache
def header_defaults(*globs: str) -> dict[str, int]:
    """The defaults modules give their tunable sizes, read from their headers
    (`#ifndef APOGEE_X` / `#define APOGEE_X 16`): the C is the one source of truth
    for a default, and the RAM estimate uses the same numbers the build will."""
    out: dict[str, int] = {}
    pattern = re.compile(r"#ifndef APOGEE_(\w+)\s*\n\s*#define APOGEE_\1\s+(\d+)u?\b")
    for g in globs:
        for header in sorted(ROOT.glob(g)):
            for name, value in pattern.findall(header.read_text()):
                out.setdefault(name, int(value))
    return out


def netstack_ram(sizes: dict[str, int]) -> int:
    """Static RAM of the network stack: the packet pool, the reassembly slots and
    each TCP socket's send and receive buffers dominate; the tables and state are
    counted at a conservative 256 bytes per socket and 2 KiB for the rest."""
    v = {**header_defaults("netstack/*.h", "netstack/tcp/*.h"), **sizes}
    pool = v["NET_PBUF_COUNT"] * v["NET_PBUF_SIZE"]
    reass = v["NET_REASS_SLOTS"] * v["NET_REASS_SIZE"]
    tcp = v["TCP_SOCKETS"] * (v["TCP_SNDBUF"] + v["TCP_RCVBUF"] + 256)
    return pool + reass + tcp + 2048


def tls_ram(sizes: dict[str, int]) -> int:
    """TLS connections, from the engine's own formula (netstack/tls/tls_sizes.py,
    checked against the cross compiler's sizeof by the TLS tests)."""
    from netstack.tls.tls_sizes import ram_bytes

    return ram_bytes({f"APOGEE_{k}": v for k, v in sizes.items() if k.startswith("TLS_")})


COMPONENTS: dict[str, Component] = {
    # The crypto core: every primitive is its own file and function section, so an
    # image carries only the primitives it calls. Keys and contexts are the caller's.
    "crypto": Component(
        name="crypto",
        sources=("netstack/crypto/*.c",),
        include=("netstack/crypto",),
        ram_bytes=lambda sizes: 0,
    ),
    "tls": Component(
        name="tls",
        sources=("netstack/tls/*.c",),
        include=("netstack/tls",),
        ram_bytes=tls_ram,
        requires=("crypto", "netstack"),
    ),
    "netstack": Component(
        name="netstack",
        sources=("netstack/*.c", "netstack/tcp/*.c"),
        include=("netstack", "netstack/tcp"),
        ram_bytes=netstack_ram,
        needs_network=True,
    ),
}
