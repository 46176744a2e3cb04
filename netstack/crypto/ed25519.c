/*
 * ed25519.c - Ed25519 keys, signing and verification (RFC 8032 section 5.1).
 */
#include "ed25519.h"

#include <string.h>

#include "apogee/err.h"
#include "ct.h"
#include "ge25519.h"
#include "sc25519.h"
#include "sha512.h"

/* h = SHA-512(seed); a = clamp(h[0..32)), the secret scalar; h[32..64) is the
 * nonce prefix. */
static void ed25519_expand(uint8_t h[64], const uint8_t seed[32])
{
    crypto_sha512(seed, 32, h);
    h[0] &= 248;
    h[31] &= 127;
    h[31] |= 64;
}

void crypto_ed25519_keypair(uint8_t pk[32], uint8_t sk[64], const uint8_t seed[32])
{
    uint8_t h[64];
    uint8_t a_pub[32];
    ge25519_p3 A;

    ed25519_expand(h, seed);
    ge25519_scalarmult_base(&A, h);
    ge25519_p3_tobytes(a_pub, &A);
    if (sk != NULL) {
        memmove(sk, seed, 32);
        memcpy(sk + 32, a_pub, 32);
    }
    if (pk != NULL) {
        memcpy(pk, a_pub, 32);
    }
    crypto_wipe(h, sizeof h);
    crypto_wipe(&A, sizeof A);
}

static void ed25519_hash_mod_l(uint8_t out[32], const uint8_t *a, size_t alen,
                               const uint8_t *b, size_t blen, const void *msg, size_t len)
{
    crypto_sha512_ctx ctx;
    uint8_t d[64];
    crypto_sha512_init(&ctx);
    crypto_sha512_update(&ctx, a, alen);
    if (b != NULL) {
        crypto_sha512_update(&ctx, b, blen);
    }
    crypto_sha512_update(&ctx, msg, len);
    crypto_sha512_final(&ctx, d);
    sc25519_reduce64(out, d);
    crypto_wipe(d, sizeof d);
}

void crypto_ed25519_sign(uint8_t sig[64], const uint8_t sk[64], const void *msg, size_t len)
{
    uint8_t h[64];
    uint8_t r[32], k[32], pk[32];
    ge25519_p3 R;

    memcpy(pk, sk + 32, 32);           /* sig may overlap sk */
    ed25519_expand(h, sk);
    /* r = SHA-512(prefix || M) mod L: the deterministic secret nonce. */
    ed25519_hash_mod_l(r, h + 32, 32, NULL, 0, msg, len);
    ge25519_scalarmult_base(&R, r);
    ge25519_p3_tobytes(sig, &R);
    /* k = SHA-512(R || A || M) mod L; S = r + k a mod L. */
    ed25519_hash_mod_l(k, sig, 32, pk, 32, msg, len);
    sc25519_muladd(sig + 32, k, h, r);

    crypto_wipe(h, sizeof h);
    crypto_wipe(r, sizeof r);
    crypto_wipe(&R, sizeof R);
}

int crypto_ed25519_verify(const uint8_t sig[64], const uint8_t pk[32], const void *msg,
                          size_t len)
{
    ge25519_p3 A;
    ge25519_p2 R;
    uint8_t k[32], rcheck[32];

    if (!sc25519_is_canonical(sig + 32)) {
        return APG_EAUTH;
    }
    if (ge25519_frombytes_vartime(&A, pk) != 0) {
        return APG_EAUTH;
    }
    ed25519_hash_mod_l(k, sig, 32, pk, 32, msg, len);
    /* [S]B - [k]A = [S]B + [k](-A) */
    fe25519_neg(A.X, A.X);
    fe25519_neg(A.T, A.T);
    ge25519_double_scalarmult_vartime(&R, k, &A, sig + 32);
    ge25519_tobytes(rcheck, &R);
    return crypto_ct_equal(rcheck, sig, 32) ? APG_OK : APG_EAUTH;
}
