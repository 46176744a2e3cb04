"""Readers for the NIST CAVP and other published vector files used by the
public-key tests. The files stay in the cryptography-vectors package; these only
parse them (blocks of `key = value` lines under `[section]` headers)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from tests.crypto.pk_lib import VECTORS

ECDSA = VECTORS / "asymmetric" / "ECDSA"
ECDH = VECTORS / "asymmetric" / "ECDH"
RSA = VECTORS / "asymmetric" / "RSA"


HEADER_KEYS = frozenset({"n", "p", "q", "N"})


def rsp_records(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield (section, fields) for each blank-line separated block. Blocks made
    only of section-wide fields (an RSA modulus and its primes) are carried into
    every following record of the section. Sub-headers naming a method
    ("[B.4.2 ...]") do not start a new section."""
    section = ""
    carried: dict[str, str] = {}
    cur: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if cur and not set(cur) <= HEADER_KEYS:
                yield section, {**carried, **cur}
                cur = {}
            elif cur:
                carried.update(cur)
                cur = {}
            continue
        m = re.fullmatch(r"\[(.*)\]", line)
        if m and m.group(1).startswith("B."):
            continue
        if m:
            if cur:
                yield section, {**carried, **cur}
                cur = {}
            section = m.group(1)
            carried = {}
            continue
        if "=" in line:
            k, v = (x.strip() for x in line.split("=", 1))
            cur[k] = v
    if cur:
        yield section, {**carried, **cur}


def section_records(path: Path, section: str) -> list[dict[str, str]]:
    return [rec for sec, rec in rsp_records(path) if sec == section]
