/*
 * A plugin that works, written in plain C99 against the ABI header alone: it
 * proves a pure-C plugin loads and serves. Its one tool, "describe_call",
 * answers with the raw arguments JSON and the negotiated protocol version, so
 * a test can see both crossed the boundary intact.
 */
#include <stdlib.h>

#include "raw_plugin_support.h"

static const mcpd_host_api* c_minimal_host = NULL;

static mcpd_status describe_call_on_call(void* plugin_state, void* tool_state, const mcpd_call_context* call,
                                         mcpd_str arguments_json, const mcpd_result_builder* result) {
  static const char prefix[] = "c_minimal saw arguments ";
  static const char middle[] = " under protocol ";
  size_t size;
  char* text;
  mcpd_str answer;
  mcpd_status status;
  (void)plugin_state;
  (void)tool_state;
  size = sizeof prefix - 1 + arguments_json.size + sizeof middle - 1 + call->protocol_version.size;
  text = (char*)malloc(size);
  if (text == NULL) {
    return result->callback_set_error(result->host_ctx, raw_str("c_minimal: out of memory"));
  }
  memcpy(text, prefix, sizeof prefix - 1);
  memcpy(text + sizeof prefix - 1, arguments_json.data, arguments_json.size);
  memcpy(text + sizeof prefix - 1 + arguments_json.size, middle, sizeof middle - 1);
  memcpy(text + size - call->protocol_version.size, call->protocol_version.data, call->protocol_version.size);
  answer.data = text;
  answer.size = size;
  /* The host copies the text before the callback returns, so it is ours to free. */
  status = result->callback_add_text(result->host_ctx, answer);
  free(text);
  return status;
}

static mcpd_status c_minimal_on_init(const mcpd_host_api* host, mcpd_str config_json,
                                     const mcpd_registrar* registrar, void** plugin_state) {
  mcpd_tool_def tool;
  (void)config_json;
  (void)plugin_state;
  c_minimal_host = host;
  memset(&tool, 0, sizeof tool);
  tool.struct_size = sizeof tool;
  tool.name = raw_str("describe_call");
  tool.definition_json = raw_str(
      "{\"description\":\"Echoes the raw arguments and the protocol version (a plugin written in C99).\","
      "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},"
      "\"required\":[\"text\"]}}");
  tool.on_call = describe_call_on_call;
  host->callback_log(host->host_ctx, MCPD_LOG_INFO, raw_str("c_minimal initialised"));
  return registrar->callback_add_tool(registrar->host_ctx, &tool);
}

static void c_minimal_on_shutdown(void* plugin_state) {
  (void)plugin_state;
  c_minimal_host = NULL;
}

static const mcpd_plugin_descriptor c_minimal_descriptor = {
    .struct_size = sizeof(mcpd_plugin_descriptor),
    .plugin_namespace = MCPD_STR_LIT("c_minimal"),
    .plugin_version = MCPD_STR_LIT("1.0.0"),
    .description = MCPD_STR_LIT("minimal working plugin written in C99"),
    .flags = MCPD_PLUGIN_FLAG_NONE,
    .on_init = c_minimal_on_init,
    .on_shutdown = c_minimal_on_shutdown,
};

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  return raw_negotiate_v1(request, response, &c_minimal_descriptor);
}
