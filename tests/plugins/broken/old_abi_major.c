/*
 * Broken on purpose: speaks ABI 0.9 only, a major older than any host's. The host must refuse it, name
 * both versions and say to rebuild the plugin (where the newer wrong_abi_major.so says to upgrade mcpd).
 */
#include "../raw_plugin_support.h"

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  const size_t descriptor_end =
      offsetof(mcpd_negotiate_response, descriptor) + sizeof(const mcpd_plugin_descriptor*);
  (void)request;
  if (response == NULL || !raw_has_field(response->struct_size, descriptor_end)) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  response->plugin_abi_version = MCPD_ABI_MAKE_VERSION(0, 9);
  response->descriptor = NULL;
  return MCPD_ERR_VERSION_MISMATCH;
}
