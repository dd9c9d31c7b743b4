/*
 * Broken on purpose: speaks ABI 2.0 only. The host must refuse it with a
 * message that names both its own version and 2.0, and keep serving.
 */
#include "../raw_plugin_support.h"

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  (void)request;
  return raw_refuse_speaking(response, MCPD_ABI_MAKE_VERSION(2, 0));
}
