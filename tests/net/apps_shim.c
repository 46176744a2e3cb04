/* Accessors for the DHCP and DNS cores' state, for cffi (tests/net/test_dhcp_dns.py). */
#include "dhcp.h"
#include "dns.h"

size_t shim_dhcp_size(void) { return sizeof(struct dhcp_client); }
size_t shim_dns_size(void) { return sizeof(struct dns_resolver); }
int shim_dhcp_state(const struct dhcp_client *c) { return c->state; }
void shim_dhcp_cfg(const struct dhcp_client *c, struct net_ipconfig *out) { *out = c->cfg; }
