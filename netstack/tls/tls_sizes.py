"""RAM of TLS connections from an app's sizes, for the SDK (no compiler needed).

`tls_conn` (tls.h) keeps every variable-size array at its end, so its size on a
32-bit Arm or RISC-V target is a fixed part plus those arrays, rounded up to 8
(it holds 64-bit fields). tests/tls/test_sizes.py checks this formula against
arm-none-eabi-gcc's sizeof for several configurations; if tls.h changes, that
test names the new FIXED.

    from netstack.tls.tls_sizes import ram_bytes
    ram_bytes({"APOGEE_TLS_CONNECTIONS": 2, "APOGEE_TLS_RECORD_MAX": 4096})
"""

from __future__ import annotations

from collections.abc import Mapping

# offsetof(tls_conn, peer_key) with 32-bit pointers (Cortex-M, RV32).
FIXED = 888

DEFAULTS: dict[str, int] = {
    "APOGEE_TLS_CONNECTIONS": 1,
    "APOGEE_TLS_RECORD_MAX": 16384,
    "APOGEE_TLS_TX_BUF": 2048,
    "APOGEE_TLS_PEER_KEY_MAX": 264,
    "APOGEE_TLS_SNI_MAX": 64,
    "APOGEE_TLS_ALPN_MAX": 16,
}


def rx_buf(record_max: int) -> int:
    """TLS_RX_BUF: header, content, type byte and tag (and the 255 bytes of padding
    RFC 8446 allows when full-size records are accepted)."""
    if not 64 <= record_max <= 16384:
        raise ValueError(f"APOGEE_TLS_RECORD_MAX must be 64..16384, not {record_max}")
    return 5 + (16384 + 256 if record_max >= 16384 else record_max + 17)


def conn_bytes(sizes: Mapping[str, int] | None = None) -> int:
    """sizeof(tls_conn) for these APOGEE_TLS_* values (defaults for the rest)."""
    v = {**DEFAULTS, **(sizes or {})}
    if "APOGEE_TLS_HS_BUF" not in v:  # tls.h's default follows the record size
        v["APOGEE_TLS_HS_BUF"] = 512 if v["APOGEE_TLS_RECORD_MAX"] >= 4096 else 2048
    total = (FIXED + v["APOGEE_TLS_PEER_KEY_MAX"] + v["APOGEE_TLS_SNI_MAX"] + 1
             + v["APOGEE_TLS_ALPN_MAX"] + 1 + rx_buf(v["APOGEE_TLS_RECORD_MAX"])
             + v["APOGEE_TLS_TX_BUF"] + v["APOGEE_TLS_HS_BUF"])
    return (total + 7) // 8 * 8


def rsa_key_ctx_bytes(max_bits: int = 4096) -> int:
    """sizeof(struct crypto_rsa_private_ctx) (netstack/crypto/rsa_private.h) on a
    32-bit target for APOGEE_BN_MAX_BITS = max_bits: the working memory of one RSA
    server key (tls_config.rsa), shared by all connections. 86 bytes per limb
    (3 Montgomery contexts, CRT values, blinding pair, window table, scratch)
    plus 56. tests/tls/test_sizes.py checks it against the compiler."""
    if max_bits % 64 or not 2048 <= max_bits <= 4096:
        raise ValueError(f"APOGEE_BN_MAX_BITS must be a multiple of 64 in 2048..4096, "
                         f"not {max_bits}")
    return 86 * (max_bits // 32) + 56


def ram_bytes(sizes: Mapping[str, int] | None = None) -> int:
    """Static RAM of APOGEE_TLS_CONNECTIONS connections (the SDK's Component
    ram_bytes), plus APOGEE_TLS_RSA_KEYS RSA key contexts (default 0; one per RSA
    identity the app initialises, sized by APOGEE_BN_MAX_BITS, default 4096).
    The stack the handshake needs on top is in docs/tls.md."""
    v = {**DEFAULTS, **(sizes or {})}
    rsa = v.get("APOGEE_TLS_RSA_KEYS", 0) * rsa_key_ctx_bytes(v.get("APOGEE_BN_MAX_BITS", 4096))
    return v["APOGEE_TLS_CONNECTIONS"] * conn_bytes(v) + rsa
