/*
 * Broken on purpose: exports no mcpd_plugin_negotiate. The exported function
 * below carries a near-miss name (a plausible typo), so the library is a
 * valid shared object that simply lacks the entry point.
 */
#include "../raw_plugin_support.h"

MCPD_PLUGIN_EXPORT mcpd_status mcpd_plugin_negotiat(const mcpd_negotiate_request* request,
                                                    mcpd_negotiate_response* response);

mcpd_status mcpd_plugin_negotiat(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  (void)request;
  (void)response;
  return MCPD_ERR_INTERNAL;
}
