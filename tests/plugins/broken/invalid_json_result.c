/*
 * Misbehaves at call time: "bad_structured" hands set_structured a string
 * that is not JSON, "bad_content" hands add_content_json one, and both
 * ignore the refusal and return MCPD_OK. The host must answer those calls with
 * an error (never a crash, never a silently empty success) and keep serving:
 * "ok" must work right after.
 */
#include "../raw_plugin_support.h"

static mcpd_status bad_structured_on_call(void* plugin_state, void* tool_state, const mcpd_call_context* call,
                                          mcpd_str arguments_json, const mcpd_result_builder* result) {
  (void)plugin_state;
  (void)tool_state;
  (void)call;
  (void)arguments_json;
  (void)result->callback_set_structured(result->host_ctx, raw_str("{\"answer\": 42, oops"));
  return MCPD_OK;
}

static mcpd_status bad_content_on_call(void* plugin_state, void* tool_state, const mcpd_call_context* call,
                                       mcpd_str arguments_json, const mcpd_result_builder* result) {
  (void)plugin_state;
  (void)tool_state;
  (void)call;
  (void)arguments_json;
  (void)result->callback_add_content_json(result->host_ctx, raw_str("{\"type\": \"text\", \"text\": "));
  return MCPD_OK;
}

static mcpd_status ok_on_call(void* plugin_state, void* tool_state, const mcpd_call_context* call,
                              mcpd_str arguments_json, const mcpd_result_builder* result) {
  (void)plugin_state;
  (void)tool_state;
  (void)call;
  (void)arguments_json;
  return result->callback_add_text(result->host_ctx, raw_str("ok"));
}

static mcpd_status register_tool(const mcpd_registrar* registrar, const char* name,
                                 mcpd_on_call_tool_fn on_call) {
  mcpd_tool_def tool;
  memset(&tool, 0, sizeof tool);
  tool.struct_size = sizeof tool;
  tool.name = raw_str(name);
  tool.definition_json = raw_str(
      "{\"description\":\"test tool\",\"inputSchema\":{\"type\":\"object\",\"additionalProperties\":false}}");
  tool.on_call = on_call;
  return registrar->callback_add_tool(registrar->host_ctx, &tool);
}

static mcpd_status invalid_result_on_init(const mcpd_host_api* host, mcpd_str config_json,
                                          const mcpd_registrar* registrar, void** plugin_state) {
  mcpd_status status;
  (void)host;
  (void)config_json;
  (void)plugin_state;
  status = register_tool(registrar, "bad_structured", bad_structured_on_call);
  if (status == MCPD_OK) status = register_tool(registrar, "bad_content", bad_content_on_call);
  if (status == MCPD_OK) status = register_tool(registrar, "ok", ok_on_call);
  if (status != MCPD_OK)
    registrar->callback_set_init_error(registrar->host_ctx, raw_str("a valid tool was refused"));
  return status;
}

static const mcpd_plugin_descriptor invalid_result_descriptor = {
    .struct_size = sizeof(mcpd_plugin_descriptor),
    .plugin_namespace = MCPD_STR_LIT("invalid_json_result"),
    .plugin_version = MCPD_STR_LIT("1.0.0"),
    .description = MCPD_STR_LIT("test plugin whose handlers build results from invalid JSON"),
    .flags = MCPD_PLUGIN_FLAG_NONE,
    .on_init = invalid_result_on_init,
};

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  return raw_negotiate_v1(request, response, &invalid_result_descriptor);
}
