/*
 * ct.h - constant-time helpers every primitive uses.
 *
 * "Constant time" here means: the sequence of instructions executed and the
 * addresses touched depend only on the lengths, never on the bytes. The compiler
 * must not be able to see through these to an early exit, so the accumulation is
 * done through a volatile read at the end.
 */
#ifndef CRYPTO_CT_H
#define CRYPTO_CT_H

#include <stddef.h>
#include <stdint.h>

/* 1 if the n bytes at a and b are equal, 0 otherwise; time depends on n only. */
int crypto_ct_equal(const void *a, const void *b, size_t n);

/* 0xFFFFFFFF if x == 0, else 0, without a branch. */
static inline uint32_t crypto_ct_mask_zero32(uint32_t x)
{
    return (uint32_t)(((uint64_t)x - 1u) >> 32) ;
}

/* Overwrite n bytes with zeros in a way the optimiser may not remove: keys and
 * intermediate secrets are wiped with this before their storage is reused. */
void crypto_wipe(void *p, size_t n);

#endif /* CRYPTO_CT_H */
