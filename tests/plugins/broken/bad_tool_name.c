/*
 * Broken on purpose: registers tools whose names break the ABI's
 * [A-Za-z0-9_-]{1,64} rule ("bad name", "bad/name", a 65-byte name, an empty
 * name). Each registration must be refused (MCPD_ERR_INVALID_ARGUMENT) and
 * logged; none may ever be published. A careless plugin ignores the refusals,
 * so this one does too and also registers a valid tool, "fine".
 */
#include "../raw_plugin_support.h"

#define BAD_TOOL_NAME_SCHEMA \
  "{\"description\":\"test tool\",\"inputSchema\":{\"type\":\"object\",\"additionalProperties\":false}}"

static mcpd_status bad_tool_on_call(void* plugin_state, void* tool_state, const mcpd_call_context* call,
                                    mcpd_str arguments_json, const mcpd_result_builder* result) {
  (void)plugin_state;
  (void)call;
  (void)arguments_json;
  return result->callback_add_text(result->host_ctx, raw_str((const char*)tool_state));
}

static void register_named_tool(const mcpd_registrar* registrar, const char* name, const char* answer) {
  mcpd_tool_def tool;
  memset(&tool, 0, sizeof tool);
  tool.struct_size = sizeof tool;
  tool.name = raw_str(name);
  tool.definition_json = raw_str(BAD_TOOL_NAME_SCHEMA);
  tool.on_call = bad_tool_on_call;
  tool.tool_state = (void*)answer;
  /* The status is ignored on purpose: the host alone must keep bad names out. */
  (void)registrar->callback_add_tool(registrar->host_ctx, &tool);
}

static mcpd_status bad_tool_name_on_init(const mcpd_host_api* host, mcpd_str config_json,
                                         const mcpd_registrar* registrar, void** plugin_state) {
  (void)host;
  (void)config_json;
  (void)plugin_state;
  register_named_tool(registrar, "bad name", "a tool with a space in its name ran");
  register_named_tool(registrar, "bad/name", "a tool with a slash in its name ran");
  register_named_tool(registrar, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                      "a tool with a 65-byte name ran");
  register_named_tool(registrar, "", "a tool with an empty name ran");
  register_named_tool(registrar, "fine", "fine");
  return MCPD_OK;
}

static const mcpd_plugin_descriptor bad_tool_name_descriptor = {
    .struct_size = sizeof(mcpd_plugin_descriptor),
    .plugin_namespace = MCPD_STR_LIT("bad_tool_name"),
    .plugin_version = MCPD_STR_LIT("1.0.0"),
    .description = MCPD_STR_LIT("test plugin that registers tools with invalid names"),
    .flags = MCPD_PLUGIN_FLAG_NONE,
    .on_init = bad_tool_name_on_init,
};

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  return raw_negotiate_v1(request, response, &bad_tool_name_descriptor);
}
