#include "net_csum.h"

#include "apogee/inet_sum.h"

uint32_t net_csum_add(uint32_t sum, const void *data, size_t len)
{
    return apg_inet_sum(sum, data, len);
}

uint16_t net_csum_fold(uint32_t sum)
{
    return (uint16_t)~apg_inet_fold17(sum);
}

uint32_t net_csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
    return apg_inet_pseudo(src, dst, proto, len);
}
