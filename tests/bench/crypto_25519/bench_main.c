/*
 * Curve25519 benchmark image: times each primitive with SysTick on the 25 MHz
 * core clock. Under QEMU -icount shift=0 one instruction is 1 ns of virtual
 * time, so one SysTick tick is 40 executed instructions; an empty call measured
 * the same way is subtracted. Each result is also checked against the host's
 * answer (bench_expected.h, written by bench_crypto_25519.py), and the stack
 * depth of each call is found by painting the stack beforehand.
 *
 * BENCH_ONLY=<n> builds an image that calls only primitive n (for flash sizes).
 */
#include <stdint.h>
#include <string.h>

#include "bench_expected.h"
#include "ed25519.h"
#include "fe25519.h"
#include "ge25519.h"
#include "sc25519.h"
#include "sha512.h"
#include "x25519.h"

void bench_puts(const char *s);

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)

static uint8_t out32[32], pk[32], sk[64], sig[64];
static volatile int rc;

static void put_u32(const char *label, uint32_t v)
{
    char buf[48];
    char digits[12];
    int n = 0;
    size_t len = strlen(label);
    memcpy(buf, label, len);
    do {
        digits[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    while (n > 0) {
        buf[len++] = digits[--n];
    }
    buf[len++] = '\n';
    buf[len] = 0;
    bench_puts(buf);
}

__attribute__((noinline, unused)) static void op_none(void)
{
    __asm__ volatile("" ::: "memory");
}
/* Calibration: exactly 2 * 100000 + 1 instructions of loop, to confirm that
 * one tick is 40 instructions. */
__attribute__((noinline, unused)) static void op_calib(void)
{
    uint32_t n = 100000u;
    __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}
__attribute__((noinline, unused)) static void op_x25519(void)
{
    rc = crypto_x25519(out32, bench_scalar, bench_point);
}
__attribute__((noinline, unused)) static void op_x25519_pub(void)
{
    crypto_x25519_public_key(out32, bench_scalar);
}
__attribute__((noinline, unused)) static void op_ed_keypair(void)
{
    crypto_ed25519_keypair(pk, sk, bench_seed);
}
__attribute__((noinline, unused)) static void op_ed_sign(void)
{
    crypto_ed25519_sign(sig, bench_sk, bench_msg, sizeof bench_msg);
}
__attribute__((noinline, unused)) static void op_ed_verify(void)
{
    rc = crypto_ed25519_verify(bench_sig, bench_pk, bench_msg, sizeof bench_msg);
}

/* Building blocks, 100 calls each (BENCH_MICRO builds only): where the time goes. */
#ifdef BENCH_MICRO
static fe25519 fa = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
static ge25519_p3 gp;
static uint8_t h64[64];
__attribute__((noinline, unused)) static void op_fe_mul100(void)
{
    for (int i = 0; i < 100; i++) {
        fe25519_mul(fa, fa, fa);
    }
}
__attribute__((noinline, unused)) static void op_fe_sq100(void)
{
    for (int i = 0; i < 100; i++) {
        fe25519_sq(fa, fa);
    }
}
__attribute__((noinline, unused)) static void op_fe_add100(void)
{
    for (int i = 0; i < 100; i++) {
        fe25519_add(fa, fa, fa);
    }
}
__attribute__((noinline, unused)) static void op_fe_cswap100(void)
{
    for (int i = 0; i < 100; i++) {
        fe25519_cswap(fa, fa, 1);
    }
}
__attribute__((noinline, unused)) static void op_fe_invert(void)
{
    fe25519_invert(fa, fa);
}
__attribute__((noinline, unused)) static void op_base(void)
{
    ge25519_scalarmult_base(&gp, bench_scalar);
}
__attribute__((noinline, unused)) static void op_sha512_64(void)
{
    crypto_sha512(bench_msg, 64, h64);
}
__attribute__((noinline, unused)) static void op_sc_muladd(void)
{
    sc25519_muladd(out32, bench_scalar, bench_seed, bench_pk);
}
#endif

#define PAINT_BYTES 8192u
#define PAINT 0xa5u

/* Run op once; return the SysTick ticks it took and its stack depth. */
__attribute__((noinline)) static uint32_t run(void (*op)(void), uint32_t *stack)
{
    uint8_t *sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    uint8_t *lo = sp - PAINT_BYTES;
    for (uint8_t *p = lo; p < sp - 64; p++) {
        *p = PAINT;
    }
    uint32_t t0 = SYST_CVR;
    op();
    uint32_t t1 = SYST_CVR;
    uint8_t *p = lo;
    while (p < sp && *p == PAINT) {
        p++;
    }
    *stack = (uint32_t)(sp - p);
    return (t0 - t1) & 0xffffffu; /* SysTick counts down, 24 bits */
}

__attribute__((unused)) static int check(const char *name, const uint8_t *got, const uint8_t *want, size_t n)
{
    if (memcmp(got, want, n) != 0) {
        bench_puts("MISMATCH ");
        bench_puts(name);
        bench_puts("\n");
        return 1;
    }
    return 0;
}

struct bench_op {
    const char *name;
    void (*fn)(void);
};

static const struct bench_op ops[] = {
    {"none", op_none},
    {"calib", op_calib},
#ifdef BENCH_MICRO
    {"fe_mul_x100", op_fe_mul100},
    {"fe_sq_x100", op_fe_sq100},
    {"fe_add_x100", op_fe_add100},
    {"fe_cswap_x100", op_fe_cswap100},
    {"fe_invert", op_fe_invert},
    {"scalarmult_base", op_base},
    {"sha512_64B", op_sha512_64},
    {"sc_muladd", op_sc_muladd},
#endif
#if !defined(BENCH_ONLY) || BENCH_ONLY == 1
    {"x25519", op_x25519},
#endif
#if !defined(BENCH_ONLY) || BENCH_ONLY == 2
    {"x25519_public_key", op_x25519_pub},
#endif
#if !defined(BENCH_ONLY) || BENCH_ONLY == 3
    {"ed25519_keypair", op_ed_keypair},
#endif
#if !defined(BENCH_ONLY) || BENCH_ONLY == 4
    {"ed25519_sign", op_ed_sign},
#endif
#if !defined(BENCH_ONLY) || BENCH_ONLY == 5
    {"ed25519_verify", op_ed_verify},
#endif
};

int main(void)
{
    int bad = 0;
    SYST_RVR = 0xffffffu;
    SYST_CVR = 0;
    SYST_CSR = 5u; /* enable, core clock, no interrupt */
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        uint32_t stack;
        uint32_t ticks = run(ops[i].fn, &stack);
        bench_puts(ops[i].name);
        put_u32(" ticks=", ticks);
        put_u32(" stack=", stack);
    }
#ifndef BENCH_ONLY
    op_x25519();
    bad |= rc != 0;
    bad |= check("x25519", out32, bench_shared, 32);
    op_x25519_pub();
    bad |= check("x25519_public_key", out32, bench_x25519_pub, 32);
    op_ed_keypair();
    bad |= check("ed25519_keypair", pk, bench_pk, 32);
    op_ed_sign();
    bad |= check("ed25519_sign", sig, bench_sig, 64);
    op_ed_verify();
    bad |= rc != 0;
    /* A corrupted signature must fail on the target too. */
    static uint8_t badsig[64];
    memcpy(badsig, bench_sig, 64);
    badsig[5] ^= 1;
    bad |= crypto_ed25519_verify(badsig, bench_pk, bench_msg, sizeof bench_msg) == 0;
    bench_puts(bad ? "RESULT BAD\n" : "RESULT OK\n");
#endif
    return bad;
}
