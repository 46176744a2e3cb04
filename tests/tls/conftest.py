"""Fixtures of the TLS tests: the built engine and development identities (made
fresh with the `cryptography` package for each session; no key is committed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tls.tls_util import Identity, build_server, make_identity


@pytest.fixture(scope="session")
def server_exe() -> Path:
    return build_server()


@pytest.fixture(scope="session")
def idents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Identity]:
    d = tmp_path_factory.mktemp("tlskeys")
    return {s: make_identity(d, s) for s in ("ecdsa", "ed25519")}


@pytest.fixture(scope="session")
def payload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1 MiB of random bytes, the data sent each way."""
    import os
    p = tmp_path_factory.mktemp("tlsdata") / "mib.bin"
    p.write_bytes(os.urandom(1 << 20))
    return p
