/*
 * apogee/entropy.h - the board's entropy source, for seeding a DRBG.
 *
 * Each board links one implementation, chosen by its description's `entropy`
 * field (boards/<name>.py):
 *   - the host: getrandom() (hal/native/entropy.c);
 *   - QEMU virt: a virtio-rng device, found by probing the virtio-mmio slots
 *     (hal/virtio/rng/);
 *   - STM32: the RNG peripheral, with its seed and clock error checks and a
 *     repeated-word check (hal/stm32/rng/);
 *   - a board without a source: the seed the SDK provisioned into the image at
 *     build time (hal/provisioned/): the same bytes at every start of the image,
 *     and only once per start (docs/entropy.md).
 *
 * These bytes are raw entropy, slow to get and finite: do not use them as random
 * numbers directly; seed crypto_random (netstack/crypto/random.h) with them.
 * Only apps that declare needs=("entropy",) link a driver.
 */
#ifndef APOGEE_ENTROPY_H
#define APOGEE_ENTROPY_H

#include <stddef.h>

/*
 * Fill buf with len bytes of entropy. Blocks, for a bounded time, until they
 * are there. Returns APG_OK, or (buf contents then unspecified, never to be used):
 *   APG_EIO       the source failed its health check (STM32 seed or clock error,
 *                 a repeated output word) or reported a device error;
 *   APG_ETIMEDOUT the source produced nothing within its bound (e.g. the RNG's
 *                 clock is off, or the emulator does not model the peripheral);
 *   APG_ENOTSUP   no source is present (no virtio-rng device attached), or a
 *                 provisioned seed has been used up (it is given out only once
 *                 per start);
 *   APG_EINVAL    buf is NULL with len > 0.
 */
int hal_entropy(void *buf, size_t len);

#endif /* APOGEE_ENTROPY_H */
