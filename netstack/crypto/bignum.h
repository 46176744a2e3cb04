/*
 * bignum.h - fixed-size unsigned big integers and Montgomery arithmetic.
 *
 * Numbers are arrays of 32-bit limbs, least significant first, with the length
 * (in limbs) passed beside them; no function allocates, and every length is at
 * most BN_MAX_LIMBS (4096 bits). This is the arithmetic under RSA (public and
 * private operations) and under P-256 scalar arithmetic modulo n.
 *
 * Constant time: every function here executes the same instructions and touches
 * the same addresses for all values of its operands of a given length. Only
 * lengths, moduli and (for bn_mont_pow_public) the exponent are treated as
 * public. So these can carry private-key material as they are; private-key
 * exponentiation just has to keep the exponent out of branches (window tables
 * read with bn_ct_select).
 *
 * Montgomery form: for a modulus m of L limbs (odd, top limb non-zero), R = 2^(32L).
 * x in Montgomery form is xR mod m. bn_mont_mul(a, b) = a b / R mod m.
 */
#ifndef CRYPTO_BIGNUM_H
#define CRYPTO_BIGNUM_H

#include <stddef.h>
#include <stdint.h>

#ifndef APOGEE_BN_MAX_BITS
#define APOGEE_BN_MAX_BITS 4096
#endif
#define BN_MAX_LIMBS (APOGEE_BN_MAX_BITS / 32)

/* A Montgomery context for one odd modulus; fill it with bn_mont_init. */
struct bn_mont {
    uint32_t m[BN_MAX_LIMBS];  /* the modulus */
    uint32_t r2[BN_MAX_LIMBS]; /* R^2 mod m, to enter Montgomery form */
    uint32_t m0inv;            /* -m^-1 mod 2^32 */
    size_t n;                  /* limbs */
};

/* Decode big-endian bytes into n limbs (zero-extended). Returns 0 on success, -1
 * if the value does not fit in n limbs (non-zero bytes beyond 32n*8 bits). */
int bn_from_bytes(uint32_t *r, size_t n, const uint8_t *in, size_t len);
/* Encode the n limbs as exactly len big-endian bytes (truncating high limbs
 * beyond len bytes, zero-padding when len is larger). */
void bn_to_bytes(uint8_t *out, size_t len, const uint32_t *a, size_t n);

/* r = a + b, returns the carry (0/1). r may alias a or b. */
uint32_t bn_add(uint32_t *r, const uint32_t *a, const uint32_t *b, size_t n);
/* r = a - b, returns the borrow (0/1). r may alias a or b. */
uint32_t bn_sub(uint32_t *r, const uint32_t *a, const uint32_t *b, size_t n);
/* 1 if a < b else 0. */
uint32_t bn_lt(const uint32_t *a, const uint32_t *b, size_t n);
/* 1 if a == 0 else 0. */
uint32_t bn_is_zero(const uint32_t *a, size_t n);
/* r = a when ctl == 1, unchanged when ctl == 0. */
void bn_cmov(uint32_t *r, const uint32_t *a, size_t n, uint32_t ctl);
/* r = table[idx] for table of count entries of n limbs each, reading every entry. */
void bn_ct_select(uint32_t *r, const uint32_t *table, size_t count, size_t n, size_t idx);
/* Bit length of a (0 for zero). Not constant time in the value: public data only. */
size_t bn_bitlen_public(const uint32_t *a, size_t n);

/* r = (a + b) mod m, for a, b < m. */
void bn_mod_add(uint32_t *r, const uint32_t *a, const uint32_t *b, const uint32_t *m, size_t n);
/* r = (a - b) mod m, for a, b < m. */
void bn_mod_sub(uint32_t *r, const uint32_t *a, const uint32_t *b, const uint32_t *m, size_t n);

/* Prepare the context for modulus m (big-endian bytes, len <= 4 * BN_MAX_LIMBS).
 * Returns 0, or -1 if m is even, < 3, or too long. Time depends on the lengths
 * only (the modulus is not secret for RSA or P-256, but the code does not care). */
int bn_mont_init(struct bn_mont *ctx, const uint8_t *m, size_t len);
/* Same from limbs (n limbs, top limb non-zero). */
int bn_mont_init_limbs(struct bn_mont *ctx, const uint32_t *m, size_t n);

/* r = a b / R mod m for a, b < m, with the modulus given directly (m of n limbs,
 * m0inv = -m^-1 mod 2^32): for fixed moduli kept as constants (P-256's n).
 * r may alias a or b. */
void bn_montmul(uint32_t *r, const uint32_t *a, const uint32_t *b, const uint32_t *m,
                uint32_t m0inv, size_t n);
/* r = a b / R mod m, for a, b < m; r may alias a or b. */
void bn_mont_mul(uint32_t *r, const uint32_t *a, const uint32_t *b, const struct bn_mont *ctx);
/* r = a R mod m (into Montgomery form), for a < m. */
void bn_mont_to(uint32_t *r, const uint32_t *a, const struct bn_mont *ctx);
/* r = a / R mod m (out of Montgomery form). */
void bn_mont_from(uint32_t *r, const uint32_t *a, const struct bn_mont *ctx);
/* r = a^e mod m with a (< m) in plain form, e a public exponent as big-endian
 * bytes: left to right square and multiply. The base may be secret; the
 * exponent's bits choose the branches. For e == 0, r = 1. */
void bn_mont_pow_public(uint32_t *r, const uint32_t *a, const uint8_t *e, size_t elen,
                        const struct bn_mont *ctx);

/*
 * Private-key arithmetic (RSA signing). Everything below is constant time in
 * all its operands, the exponent and the inverted value included; only the
 * lengths and the modulus are public.
 */

/* Window of bn_mont_pow_secret: 4 bits, a table of 16 powers. */
#define BN_POW_WINDOW 4
#define BN_POW_TABLE_ENTRIES (1u << BN_POW_WINDOW)

/* r = a b as a full product of an + bn limbs. r must not alias a or b. */
void bn_mul(uint32_t *r, const uint32_t *a, size_t an, const uint32_t *b, size_t bn);

/* Like bn_mont_init_limbs, for a secret modulus (an RSA prime): no branch and no
 * loop bound depends on m's value, only on n. Returns 1 when m is usable (odd,
 * top limb non-zero, n <= BN_MAX_LIMBS, m > 1), else 0 and the context holds
 * garbage; the caller decides (and declassifies) what to do with that bit. */
uint32_t bn_mont_init_secret(struct bn_mont *ctx, const uint32_t *m, size_t n);

/* r = x R mod m: the Montgomery form of x mod m for any x of xn limbs (xn >= 1;
 * x may be longer or shorter than the modulus). This is how an RSA value mod n
 * is brought down mod p. r has ctx->n limbs and may not alias x. */
void bn_mod_reduce_mont(uint32_t *r, const uint32_t *x, size_t xn, const struct bn_mont *ctx);

/* r = a^e mod m, with a (< m) and r in Montgomery form and e a secret exponent
 * of e_limbs limbs (e_limbs <= BN_MAX_LIMBS). Fixed 4-bit window over all
 * 32 e_limbs bits (leading zero bits included): the same squarings and
 * multiplications whatever e is, and each table entry chosen by reading all 16
 * (bn_ct_select). table is caller memory of BN_POW_TABLE_ENTRIES * ctx->n limbs;
 * it holds powers of a afterwards (wipe it if a is secret). r may alias a. */
void bn_mont_pow_secret(uint32_t *r, const uint32_t *a, const uint32_t *e, size_t e_limbs,
                        const struct bn_mont *ctx, uint32_t *table);

/* r = a^-1 mod m for an odd public modulus m of n limbs and a < m, by the
 * binary extended Euclid algorithm run for a fixed 64n steps with conditional
 * swaps and moves. Returns 1 when gcd(a, m) == 1, else 0 (and r is then not
 * an inverse). Stack: three numbers of BN_MAX_LIMBS limbs. r may not alias a. */
uint32_t bn_mod_inv(uint32_t *r, const uint32_t *a, const uint32_t *m, size_t n);

#endif /* CRYPTO_BIGNUM_H */
