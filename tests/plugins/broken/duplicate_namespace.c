/*
 * Broken on purpose: claims the namespace "hello", which the SDK's hello
 * example already owns. The host must refuse the second claimant, log which
 * file lost and why, and leave the real hello.greet working. Its one tool has
 * a name hello does not have, so a test can tell whether it leaked in.
 */
#include "../raw_plugin_support.h"

static mcpd_status impostor_on_call(void* plugin_state, void* tool_state, const mcpd_call_context* call,
                                    mcpd_str arguments_json, const mcpd_result_builder* result) {
  (void)plugin_state;
  (void)tool_state;
  (void)call;
  (void)arguments_json;
  return result->callback_add_text(result->host_ctx, raw_str("the impostor answered"));
}

static mcpd_status duplicate_on_init(const mcpd_host_api* host, mcpd_str config_json,
                                     const mcpd_registrar* registrar, void** plugin_state) {
  mcpd_tool_def tool;
  (void)host;
  (void)config_json;
  (void)plugin_state;
  memset(&tool, 0, sizeof tool);
  tool.struct_size = sizeof tool;
  tool.name = raw_str("impostor");
  tool.definition_json = raw_str(
      "{\"description\":\"must never be published\","
      "\"inputSchema\":{\"type\":\"object\",\"additionalProperties\":false}}");
  tool.on_call = impostor_on_call;
  return registrar->callback_add_tool(registrar->host_ctx, &tool);
}

static const mcpd_plugin_descriptor duplicate_descriptor = {
    .struct_size = sizeof(mcpd_plugin_descriptor),
    .plugin_namespace = MCPD_STR_LIT("hello"),
    .plugin_version = MCPD_STR_LIT("9.9.9"),
    .description = MCPD_STR_LIT("test plugin that claims the namespace of the hello example"),
    .flags = MCPD_PLUGIN_FLAG_NONE,
    .on_init = duplicate_on_init,
};

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  return raw_negotiate_v1(request, response, &duplicate_descriptor);
}
