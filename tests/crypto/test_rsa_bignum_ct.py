"""The bignum layer that RSA private-key operations will build on is constant
time in its operands: Montgomery multiplication, modular add/sub, conditional
moves, masked table selection, and exponentiation with a secret base (public
exponent), run under valgrind with the operands marked undefined. The results
are checked against Python so the run did real work."""

from __future__ import annotations

import random
import shutil
import subprocess

import pytest

from tests.crypto.pk_lib import CRYPTO
from tests.hostc import HOST_BUILD, build_program

HARNESS = r"""
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>
#include "bignum.h"

static struct bn_mont ctx;
static uint8_t mod[256];
static uint32_t a[BN_MAX_LIMBS], b[BN_MAX_LIMBS], r[BN_MAX_LIMBS], table[4 * 64];

static void load(uint32_t *x, const char *hex)
{
    uint8_t buf[256];
    for (int i = 0; i < 256; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        buf[i] = (uint8_t)v;
    }
    bn_from_bytes(x, 64, buf, 256);
}

static void show(const char *tag, const uint32_t *x)
{
    uint8_t out[256];
    bn_to_bytes(out, 256, x, 64);
    VALGRIND_MAKE_MEM_DEFINED(out, sizeof(out));
    printf("%s=", tag);
    for (int i = 0; i < 256; i++) printf("%02x", out[i]);
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc != 4) return 2;
    for (int i = 0; i < 256; i++) {
        unsigned v;
        sscanf(argv[1] + 2 * i, "%2x", &v);
        mod[i] = (uint8_t)v;
    }
    if (bn_mont_init(&ctx, mod, sizeof(mod)) != 0) return 3;
    load(a, argv[2]);
    load(b, argv[3]);
    VALGRIND_MAKE_MEM_UNDEFINED(a, sizeof(a));
    VALGRIND_MAKE_MEM_UNDEFINED(b, sizeof(b));

    bn_mont_mul(r, a, b, &ctx);
    show("mont", r);
    bn_mod_add(r, a, b, ctx.m, 64);
    show("add", r);
    bn_mod_sub(r, a, b, ctx.m, 64);
    show("sub", r);
    static const uint8_t e[3] = {1, 0, 1};
    bn_mont_pow_public(r, a, e, 3, &ctx);
    show("pow", r);
    /* secret index into a table of 4 numbers */
    memcpy(table, a, 256);
    memcpy(table + 64, b, 256);
    memset(table + 128, 0x11, 512);
    uint32_t idx = b[0] & 3u;
    bn_ct_select(r, table, 4, 64, idx);
    show("sel", r);
    uint32_t lt = bn_lt(a, b, 64) + bn_is_zero(a, 64);
    bn_cmov(r, a, 64, lt & 1u);
    show("cmov", r);
    return 0;
}
"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind not installed")
def test_bignum_is_constant_time_in_its_operands() -> None:
    src_dir = HOST_BUILD / "bn-ct-src"
    src_dir.mkdir(parents=True, exist_ok=True)
    harness = src_dir / "bn_ct_main.c"
    if not harness.exists() or harness.read_text() != HARNESS:
        harness.write_text(HARNESS)
    exe = build_program("bn-ct", [f"{CRYPTO}/bignum.c", harness], include=[CRYPTO],
                        cflags=["-O2"])
    rng = random.Random(7)
    m = rng.getrandbits(2048) | 1 | (1 << 2047)
    a, b = rng.randrange(m), rng.randrange(m)
    proc = subprocess.run(
        ["valgrind", "--error-exitcode=99", "-q", str(exe), f"{m:0512x}", f"{a:0512x}",
         f"{b:0512x}"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    out = {k: int(v, 16) for k, v in (line.split("=") for line in proc.stdout.split())}
    big_r = 1 << 2048
    assert out["mont"] == a * b * pow(big_r, -1, m) % m
    assert out["add"] == (a + b) % m
    assert out["sub"] == (a - b) % m
    assert out["pow"] == pow(a, 65537, m)
    assert out["sel"] == [a, b, int("11" * 256, 16), int("11" * 256, 16)][b & 3]
    assert out["cmov"] == (a if a < b else out["sel"])
