#include "apogee/err.h"
#include "apogee/hal.h"
#include "apogee/print.h"
#include "board_config.h"
#include "random.h"

static crypto_random rng;

int app_main(void)
{
    static const char pers[] = "apogee examples/rng";
    int rc = crypto_random_init(&rng, pers, sizeof pers - 1);
    if (rc != APG_OK) {
        apg_printf("rng: entropy source (%s) failed: error %d\r\n", BOARD_ENTROPY_SOURCE, rc);
        return 1;
    }
    uint8_t out[32];
    rc = crypto_random_bytes(&rng, out, sizeof out);
    crypto_random_wipe(&rng);
    if (rc != APG_OK) {
        apg_printf("rng: generate failed: error %d\r\n", rc);
        return 1;
    }
    apg_printf("rng: %s: ", BOARD_ENTROPY_SOURCE);
    for (unsigned i = 0; i < sizeof out; i++) {
        apg_printf("%02x", out[i]);
    }
    apg_printf("\r\n");
    return 0;
}
