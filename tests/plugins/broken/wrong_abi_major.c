/*
 * Broken on purpose: speaks ABI 2.0 only. The host must refuse it with a
 * message that names both its own version and 2.0, and keep serving.
 */
#include "../raw_plugin_support.h"

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  const size_t descriptor_end =
      offsetof(mcpd_negotiate_response, descriptor) + sizeof(const mcpd_plugin_descriptor*);
  (void)request;
  if (response == NULL || !raw_has_field(response->struct_size, descriptor_end)) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  /* Named even on mismatch so that the host can report both versions. */
  response->plugin_abi_version = MCPD_ABI_MAKE_VERSION(2, 0);
  response->descriptor = NULL;
  return MCPD_ERR_VERSION_MISMATCH;
}
