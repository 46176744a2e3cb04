/* STM32F4 flash latency, prefetch and caches (RM0090 3.5.1). */
#include "../stm32_clock.h"
#include "board_config.h"

bool stm32_flash_set_wait_states(unsigned wait_states)
{
    uint32_t acr = FLASH->ACR & ~FLASH_F4_ACR_LATENCY_BITS;
    acr |= ((uint32_t)wait_states << FLASH_F4_ACR_LATENCY_LSB) & FLASH_F4_ACR_LATENCY_BITS;
    FLASH->ACR = acr | FLASH_F4_ACR_PRFTEN_BITS | FLASH_F4_ACR_ICEN_BITS |
                 FLASH_F4_ACR_DCEN_BITS;
    /* RM0090: read ACR back; the new latency counts only once it reads back. */
    return ((FLASH->ACR & FLASH_F4_ACR_LATENCY_BITS) >> FLASH_F4_ACR_LATENCY_LSB) == wait_states;
}
