/*
 * Broken on purpose: negotiates fine, then on_init explains why it cannot run
 * (callback_set_init_error) and fails. The host must log that message with the
 * file name and load nothing from this plugin.
 */
#include "../raw_plugin_support.h"

#define INIT_FAILS_MESSAGE "init_fails: the 'endpoint' setting is required (this test plugin always fails)"

static mcpd_status init_fails_on_init(const mcpd_host_api* host, mcpd_str config_json,
                                      const mcpd_registrar* registrar, void** plugin_state) {
  (void)host;
  (void)config_json;
  (void)plugin_state;
  registrar->callback_set_init_error(registrar->host_ctx, raw_str(INIT_FAILS_MESSAGE));
  return MCPD_ERR_INVALID_ARGUMENT;
}

static const mcpd_plugin_descriptor init_fails_descriptor = {
    .struct_size = sizeof(mcpd_plugin_descriptor),
    .plugin_namespace = MCPD_STR_LIT("init_fails"),
    .plugin_version = MCPD_STR_LIT("1.0.0"),
    .description = MCPD_STR_LIT("test plugin whose on_init always fails with a message"),
    .flags = MCPD_PLUGIN_FLAG_NONE,
    .on_init = init_fails_on_init,
};

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  return raw_negotiate_v1(request, response, &init_fails_descriptor);
}
