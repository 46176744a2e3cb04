/*
 * Host driver for crypto_random (netstack/crypto/random.c) on a real entropy
 * driver: built with hal/provisioned/entropy.c (the seed from argv[1], as the
 * SDK's generated entropy_seed.c would hold it) or hal/native/entropy.c
 * (getrandom; argv[1] is then ignored). Prints the init status, then for each
 * of argv[2] requests of 32 bytes: "<status> <hex>".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "random.h"

#ifdef PROVISIONED
uint8_t hal_entropy_seed[48];
const uint32_t hal_entropy_seed_len = sizeof hal_entropy_seed;
#endif

static crypto_random rng;

int main(int argc, char **argv)
{
    if (argc != 3) {
        return 2;
    }
#ifdef PROVISIONED
    for (unsigned i = 0; i < sizeof hal_entropy_seed; i++) {
        unsigned v;
        if (sscanf(argv[1] + 2 * i, "%2x", &v) != 1) {
            return 2;
        }
        hal_entropy_seed[i] = (uint8_t)v;
    }
#endif
    static const char pers[] = "host test";
    printf("init %d\n", crypto_random_init(&rng, pers, sizeof pers - 1));
    int n = atoi(argv[2]);
    for (int i = 0; i < n; i++) {
        uint8_t out[32] = {0};
        int rc = crypto_random_bytes(&rng, out, sizeof out);
        printf("%d ", rc);
        for (unsigned j = 0; j < sizeof out; j++) {
            printf("%02x", out[j]);
        }
        printf("\n");
    }
    crypto_random_wipe(&rng);
    uint8_t out[1];
    printf("after wipe %d\n", crypto_random_bytes(&rng, out, 1));
    return 0;
}
