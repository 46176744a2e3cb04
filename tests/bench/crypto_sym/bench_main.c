/*
 * bench_main.c - executed-instruction counts of the symmetric primitives on
 * QEMU mps2-an385 run with -icount shift=0 (one instruction = 1 ns of virtual
 * time). SysTick counts the 25 MHz CPU clock, i.e. one tick per 40
 * instructions; each figure is (ticks around the operation - ticks around an
 * empty call) * 40, and a calibration loop of known length checks the scale.
 * Stack use is the high-water mark below the caller's stack pointer, found by
 * painting the stack before each operation.
 * Output lines: "name instructions stack_bytes".
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bench.h"
#include "chacha20.h"
#include "chacha20poly1305.h"
#include "drbg.h"
#include "gcm.h"
#include "ghash.h"
#include "hkdf.h"
#include "hmac.h"
#include "poly1305.h"
#include "sha256.h"
#include "sha512.h"

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define INSTR_PER_TICK 40u /* 25 MHz CPU clock, 1 ns per instruction */

extern uint32_t __stack_bottom;

static uint8_t key[32], nonce[12], aad[5], tag[16], out32[64];
static uint8_t buf[1024 + 16];
static crypto_aes_gcm_ctx gcm128, gcm256;
static crypto_aes_ctx aes128;
static crypto_ghash_key ghk;
static crypto_hmac_drbg drbg;

static void op_empty(void) {}

/* 2 + 2 * 100000 instructions: mov, then subs/bne pairs (the last bne falls through). */
static void op_calibrate(void)
{
    __asm__ volatile("movw r0, #34464\n\tmovt r0, #1\n1:\n\tsubs r0, #1\n\tbne 1b" ::: "r0", "cc");
}

static void op_chacha20_1k(void) { crypto_chacha20(buf, buf, 1024, key, nonce, 1); }
static void op_poly1305_1k(void) { crypto_poly1305(buf, 1024, key, tag); }
static void op_chapoly_seal_1k(void)
{
    crypto_chacha20poly1305_seal(buf, tag, key, nonce, aad, sizeof aad, buf, 1024);
}
static void op_chapoly_open_1k(void)
{
    (void)crypto_chacha20poly1305_open(buf, key, nonce, aad, sizeof aad, buf, 1024, tag);
}
static void op_aes128_init(void) { (void)crypto_aes_init(&aes128, key, 16); }
static void op_aes128_2blocks(void) { crypto_aes_encrypt2(&aes128, out32, out32); }
static void op_gcm128_init(void) { (void)crypto_aes_gcm_init(&gcm128, key, 16); }
static void op_gcm256_init(void) { (void)crypto_aes_gcm_init(&gcm256, key, 32); }
static void op_ghash_1k(void)
{
    crypto_ghash_ctx g;
    crypto_ghash_init(&g);
    crypto_ghash_update(&g, &ghk, buf, 1024);
    crypto_ghash_final(&g, &ghk, tag);
}
static void op_gcm128_seal_1k(void)
{
    (void)crypto_aes_gcm_seal(&gcm128, buf, tag, 16, nonce, 12, aad, sizeof aad, buf, 1024);
}
static void op_gcm128_open_1k(void)
{
    (void)crypto_aes_gcm_open(&gcm128, buf, nonce, 12, aad, sizeof aad, buf, 1024, tag, 16);
}
static void op_gcm256_seal_1k(void)
{
    (void)crypto_aes_gcm_seal(&gcm256, buf, tag, 16, nonce, 12, aad, sizeof aad, buf, 1024);
}
static void op_sha256_1k(void) { crypto_sha256(buf, 1024, out32); }
static void op_sha384_1k(void) { crypto_sha384(buf, 1024, out32); }
static void op_sha512_1k(void) { crypto_sha512(buf, 1024, out32); }
static void op_hmac256_64(void) { crypto_hmac_sha256(key, 32, buf, 64, out32); }
static void op_hmac384_64(void) { crypto_hmac_sha384(key, 48 - 16, buf, 64, out32); }
static void op_hkdf256_expand32(void)
{
    (void)crypto_hkdf_sha256_expand(key, 32, buf, 20, out32, 32);
}
static void op_drbg_instantiate(void)
{
    (void)crypto_hmac_drbg_instantiate(&drbg, buf, 32, buf + 32, 16, NULL, 0);
}
static void op_drbg_generate32(void) { (void)crypto_hmac_drbg_generate(&drbg, out32, 32, NULL, 0); }

struct op {
    const char *name;
    void (*fn)(void);
};

static const struct op ops[] = {
    {"calibrate_200002", op_calibrate},
    {"chacha20_1k", op_chacha20_1k},
    {"poly1305_1k", op_poly1305_1k},
    {"chacha20poly1305_seal_1k", op_chapoly_seal_1k},
    {"chacha20poly1305_open_1k", op_chapoly_open_1k},
    {"aes128_key_schedule", op_aes128_init},
    {"aes128_encrypt_2_blocks", op_aes128_2blocks},
    {"ghash_1k", op_ghash_1k},
    {"aes128_gcm_init", op_gcm128_init},
    {"aes256_gcm_init", op_gcm256_init},
    {"aes128_gcm_seal_1k", op_gcm128_seal_1k},
    {"aes128_gcm_open_1k", op_gcm128_open_1k},
    {"aes256_gcm_seal_1k", op_gcm256_seal_1k},
    {"sha256_1k", op_sha256_1k},
    {"sha384_1k", op_sha384_1k},
    {"sha512_1k", op_sha512_1k},
    {"hmac_sha256_64", op_hmac256_64},
    {"hmac_sha384_64", op_hmac384_64},
    {"hkdf_sha256_expand_32", op_hkdf256_expand32},
    {"hmac_drbg_instantiate", op_drbg_instantiate},
    {"hmac_drbg_generate_32", op_drbg_generate32},
};

static char *utoa10(char *p, uint32_t v)
{
    char tmp[11];
    unsigned n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    while (n != 0) {
        *p++ = tmp[--n];
    }
    return p;
}

#define PAINT 0x5AA5C33Cu

static uint32_t *paint_stack(void)
{
    uint32_t *sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    uint32_t *top = sp - 16; /* leave this frame alone */
    for (uint32_t *p = &__stack_bottom; p < top; p++) {
        *p = PAINT;
    }
    return sp;
}

static uint32_t stack_used(const uint32_t *sp)
{
    const uint32_t *p = &__stack_bottom;
    while (p < sp && *p == PAINT) {
        p++;
    }
    return (uint32_t)((const uint8_t *)sp - (const uint8_t *)p);
}

/* Ticks for one call of fn; noinline so every op sees the same call sequence. */
__attribute__((noinline)) static uint32_t ticks(void (*fn)(void))
{
    uint32_t t0 = SYST_CVR;
    fn();
    uint32_t t1 = SYST_CVR;
    return (t0 - t1) & 0x00FFFFFFu;
}

int main(void)
{
    for (unsigned i = 0; i < sizeof buf; i++) {
        buf[i] = (uint8_t)(i * 7u);
    }
    for (unsigned i = 0; i < sizeof key; i++) {
        key[i] = (uint8_t)(i + 1u);
    }
    SYST_RVR = 0x00FFFFFFu;
    SYST_CVR = 0;
    SYST_CSR = 5u; /* enable, CPU clock, no interrupt */
    (void)crypto_aes_init(&aes128, key, 16);
    (void)crypto_aes_gcm_init(&gcm128, key, 16);
    (void)crypto_aes_gcm_init(&gcm256, key, 32);
    crypto_ghash_key_init(&ghk, key);
    (void)crypto_hmac_drbg_instantiate(&drbg, buf, 32, buf + 32, 16, NULL, 0);
    crypto_chacha20poly1305_seal(buf, tag, key, nonce, aad, sizeof aad, buf, 1024);

    uint32_t base = ticks(op_empty);
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        uint32_t *sp = paint_stack();
        uint32_t t = ticks(ops[i].fn);
        uint32_t st = stack_used(sp);
        char line[96];
        char *p = line;
        size_t n = strlen(ops[i].name);
        memcpy(p, ops[i].name, n);
        p += n;
        *p++ = ' ';
        p = utoa10(p, (t - base) * INSTR_PER_TICK);
        *p++ = ' ';
        p = utoa10(p, st);
        *p++ = '\n';
        *p = 0;
        bench_puts(line);
    }
    return 0;
}
