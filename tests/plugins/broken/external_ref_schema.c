/*
 * Broken on purpose: the tool "lookup" declares an inputSchema whose $ref points to a document outside the
 * schema (https://schemas.example.com/customer.json). mcpd never fetches schemas, so the plugin must be
 * refused at load with a line naming the tool and the reference. The tool "local" next to it is fine: its
 * references stay inside its own schema, an embedded "$id" resource included.
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

static mcpd_status external_ref_on_init(const mcpd_host_api* host, mcpd_str config_json,
                                        const mcpd_registrar* registrar, void** plugin_state) {
  (void)host;
  (void)config_json;
  (void)plugin_state;
  register_tool(registrar, "lookup",
                "{\"description\": \"looks a customer up\", \"inputSchema\": {\"type\": \"object\", "
                "\"properties\": {\"customer\": {\"$ref\": \"https://schemas.example.com/customer.json\"}}}}");
  register_tool(registrar, "local",
                "{\"description\": \"self-contained\", \"inputSchema\": {\"type\": \"object\", "
                "\"$id\": \"https://schemas.example.com/local.json\", "
                "\"properties\": {\"id\": {\"$ref\": \"#/$defs/id\"}, \"item\": {\"$ref\": \"item.json\"}}, "
                "\"$defs\": {\"id\": {\"type\": \"integer\"}, "
                "\"item\": {\"$id\": \"item.json\", \"type\": \"object\", \"unevaluatedProperties\": false}}}}");
  return MCPD_OK;
}

static const mcpd_plugin_descriptor external_ref_descriptor = {
    .struct_size = sizeof(mcpd_plugin_descriptor),
    .plugin_namespace = MCPD_STR_LIT("external_ref_schema"),
    .plugin_version = MCPD_STR_LIT("1.0.0"),
    .description = MCPD_STR_LIT("test plugin whose tool schema refers to a document mcpd does not have"),
    .flags = MCPD_PLUGIN_FLAG_NONE,
    .on_init = external_ref_on_init,
};

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  return raw_negotiate_v1(request, response, &external_ref_descriptor);
}
