/*
 * Namespace "swap", but it needs a function no library provides. Linked
 * without --no-undefined on purpose, so the flaw shows only when the host
 * loads it with RTLD_NOW: dlopen() fails with "undefined symbol".
 */
#include "../../plugins/raw_plugin_support.h"

extern int mcpd_hotswap_test_symbol_that_does_not_exist(void);

static mcpd_status unresolved_init(const mcpd_host_api* host, mcpd_str config_json,
                                   const mcpd_registrar* registrar, void** plugin_state) {
  (void)host;
  (void)config_json;
  (void)registrar;
  (void)plugin_state;
  return mcpd_hotswap_test_symbol_that_does_not_exist() == 0 ? MCPD_OK : MCPD_ERR_INTERNAL;
}

static const mcpd_plugin_descriptor unresolved_descriptor = {
    .struct_size = sizeof(mcpd_plugin_descriptor),
    .plugin_namespace = MCPD_STR_LIT("swap"),
    .plugin_version = MCPD_STR_LIT("9.0.0-unresolved"),
    .description = MCPD_STR_LIT("hot-swap test: undefined symbol"),
    .flags = MCPD_PLUGIN_FLAG_NONE,
    .on_init = unresolved_init,
};

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  return raw_negotiate_v1(request, response, &unresolved_descriptor);
}
