/*
 * Broken on purpose: speaks ABI 0.9 only, a major older than any host's. The host must refuse it, name
 * both versions and say to rebuild the plugin (where the newer wrong_abi_major.so says to upgrade mcpd).
 */
#include "../raw_plugin_support.h"

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  (void)request;
  return raw_refuse_speaking(response, MCPD_ABI_MAKE_VERSION(0, 9));
}
