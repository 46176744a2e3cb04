"""Fixtures of the TLS tests: the built engine and development identities (made
fresh with the `cryptography` package for each session; no key is committed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tls.tls_util import Identity, build_client, build_server, make_identity


@pytest.fixture(scope="session")
def server_exe() -> Path:
    return build_server()


@pytest.fixture(scope="session")
def client_exe() -> Path:
    return build_client()


@pytest.fixture(scope="session")
def text_payload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1 MiB of random hex in 64-character lines: line-oriented peers (gnutls-serv's
    echo, s_server's console) pass it through unchanged."""
    import os
    lines = [os.urandom(32).hex() for _ in range((1 << 20) // 65 + 1)]
    p = tmp_path_factory.mktemp("tlsdata") / "mib.txt"
    p.write_bytes(("\n".join(lines)[: (1 << 20) - 1] + "\n").encode())
    return p


@pytest.fixture(scope="session")
def idents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Identity]:
    d = tmp_path_factory.mktemp("tlskeys")
    return {s: make_identity(d, s) for s in ("ecdsa", "ed25519", "rsa")}


@pytest.fixture(scope="session")
def payload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1 MiB of random bytes, the data sent each way."""
    import os
    p = tmp_path_factory.mktemp("tlsdata") / "mib.bin"
    p.write_bytes(os.urandom(1 << 20))
    return p
