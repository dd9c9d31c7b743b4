/*
 * Broken on purpose: registers a tool whose definition_json is not JSON at all
 * ("broken_json") and one whose definition is JSON but lacks the required
 * inputSchema ("no_schema"). Both must be refused at load time and logged;
 * neither may be published. The refusals are ignored here (as a careless
 * plugin would), and a valid tool "ok" is registered as well.
 */
#include "../raw_plugin_support.h"

static mcpd_status ok_on_call(void* plugin_state, void* tool_state, const mcpd_call_context* call,
                              mcpd_str arguments_json, const mcpd_result_builder* result) {
  (void)plugin_state;
  (void)tool_state;
  (void)call;
  (void)arguments_json;
  return result->callback_add_text(result->host_ctx, raw_str("ok"));
}

static void register_tool(const mcpd_registrar* registrar, const char* name, const char* definition_json) {
  mcpd_tool_def tool;
  memset(&tool, 0, sizeof tool);
  tool.struct_size = sizeof tool;
  tool.name = raw_str(name);
  tool.definition_json = raw_str(definition_json);
  tool.on_call = ok_on_call;
  (void)registrar->callback_add_tool(registrar->host_ctx, &tool);
}

static mcpd_status invalid_definition_on_init(const mcpd_host_api* host, mcpd_str config_json,
                                              const mcpd_registrar* registrar, void** plugin_state) {
  (void)host;
  (void)config_json;
  (void)plugin_state;
  register_tool(registrar, "broken_json", "{\"description\": \"truncated\", \"inputSchema\": {\"type\": ");
  register_tool(registrar, "no_schema", "{\"description\": \"valid JSON, but no inputSchema\"}");
  register_tool(registrar, "ok",
                "{\"description\":\"answers "
                "ok\",\"inputSchema\":{\"type\":\"object\",\"additionalProperties\":false}}");
  return MCPD_OK;
}

static const mcpd_plugin_descriptor invalid_definition_descriptor = {
    .struct_size = sizeof(mcpd_plugin_descriptor),
    .plugin_namespace = MCPD_STR_LIT("invalid_json_definition"),
    .plugin_version = MCPD_STR_LIT("1.0.0"),
    .description = MCPD_STR_LIT("test plugin that registers tools with invalid definitions"),
    .flags = MCPD_PLUGIN_FLAG_NONE,
    .on_init = invalid_definition_on_init,
};

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  return raw_negotiate_v1(request, response, &invalid_definition_descriptor);
}
