/* STM32F7 flash latency, prefetch and the ART accelerator (RM0410 3.3.2). */
#include "../stm32_clock.h"
#include "board_config.h"

bool stm32_flash_set_wait_states(unsigned wait_states)
{
    uint32_t acr = FLASH->ACR & ~FLASH_F7_ACR_LATENCY_BITS;
    acr |= ((uint32_t)wait_states << FLASH_F7_ACR_LATENCY_LSB) & FLASH_F7_ACR_LATENCY_BITS;
    FLASH->ACR = acr | FLASH_F7_ACR_PRFTEN_BITS | FLASH_F7_ACR_ARTEN_BITS;
    /* RM0410: read ACR back; the new latency counts only once it reads back. */
    return ((FLASH->ACR & FLASH_F7_ACR_LATENCY_BITS) >> FLASH_F7_ACR_LATENCY_LSB) == wait_states;
}
