/*
 * Namespace "swap", loads and initialises without crashing, but its tool
 * table is invalid: the only tool's inputSchema is not an object schema. The
 * host must refuse the whole version and keep the old one serving.
 */
#include "../../plugins/raw_plugin_support.h"

static mcpd_status bad_tools_call(void* plugin_state, void* tool_state, const mcpd_call_context* call,
                                  mcpd_str arguments_json, const mcpd_result_builder* result) {
  (void)plugin_state;
  (void)tool_state;
  (void)call;
  (void)arguments_json;
  return result->callback_add_text(result->host_ctx, raw_str("never"));
}

static mcpd_status bad_tools_init(const mcpd_host_api* host, mcpd_str config_json,
                                  const mcpd_registrar* registrar, void** plugin_state) {
  mcpd_tool_def tool;
  (void)host;
  (void)config_json;
  (void)plugin_state;
  memset(&tool, 0, sizeof tool);
  tool.struct_size = sizeof tool;
  tool.name = raw_str("which");
  tool.definition_json = raw_str("{\"description\":\"broken\",\"inputSchema\":{\"type\":\"string\"}}");
  tool.on_call = bad_tools_call;
  /* The refusal is ignored, as a careless plugin would. */
  (void)registrar->callback_add_tool(registrar->host_ctx, &tool);
  return MCPD_OK;
}

static const mcpd_plugin_descriptor bad_tools_descriptor = {
    .struct_size = sizeof(mcpd_plugin_descriptor),
    .plugin_namespace = MCPD_STR_LIT("swap"),
    .plugin_version = MCPD_STR_LIT("9.0.0-bad-tools"),
    .description = MCPD_STR_LIT("hot-swap test: invalid tool table"),
    .flags = MCPD_PLUGIN_FLAG_NONE,
    .on_init = bad_tools_init,
};

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  return raw_negotiate_v1(request, response, &bad_tools_descriptor);
}
