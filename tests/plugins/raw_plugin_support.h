/*
 * Small helpers shared by the test plugins that are written directly against
 * the C ABI (no SDK). Plain C99 so that the C plugins prove the ABI header is
 * usable from C; also included from the raw C++ plugins.
 */
#ifndef MCPD_TEST_RAW_PLUGIN_SUPPORT_H
#define MCPD_TEST_RAW_PLUGIN_SUPPORT_H

#include <mcpd/plugin_api.h>
#include <stddef.h>
#include <string.h>

/* A borrowed mcpd_str over a NUL-terminated string. */
static inline mcpd_str raw_str(const char* text) {
  mcpd_str result;
  result.data = text;
  result.size = strlen(text);
  return result;
}

/* True when a struct written by the other side with `struct_size` bytes
 * contains the field that ends at `field_end` (fields beyond it are absent). */
static inline int raw_has_field(uint32_t struct_size, size_t field_end) {
  return struct_size >= field_end;
}

/* The negotiation every well-behaved raw plugin does: accept when the host's
 * range contains ABI 1.0, always name our version, and never write beyond the
 * response size the host allocated. */
static inline mcpd_status raw_negotiate_v1(const mcpd_negotiate_request* request,
                                           mcpd_negotiate_response* response,
                                           const mcpd_plugin_descriptor* descriptor) {
  const size_t descriptor_end =
      offsetof(mcpd_negotiate_response, descriptor) + sizeof(const mcpd_plugin_descriptor*);
  if (request == NULL || response == NULL || !raw_has_field(response->struct_size, descriptor_end)) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  response->plugin_abi_version = MCPD_ABI_VERSION_1_0;
  if (request->host_abi_min > MCPD_ABI_VERSION_1_0 || request->host_abi_max < MCPD_ABI_VERSION_1_0) {
    response->descriptor = NULL;
    return MCPD_ERR_VERSION_MISMATCH;
  }
  response->descriptor = descriptor;
  return MCPD_OK;
}

/* A plugin that speaks only `version`, outside every host's range: it names that version (so the host
 * can say which side to change) and refuses. */
static inline mcpd_status raw_refuse_speaking(mcpd_negotiate_response* response, uint32_t version) {
  const size_t descriptor_end =
      offsetof(mcpd_negotiate_response, descriptor) + sizeof(const mcpd_plugin_descriptor*);
  if (response == NULL || !raw_has_field(response->struct_size, descriptor_end)) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  response->plugin_abi_version = version;
  response->descriptor = NULL;
  return MCPD_ERR_VERSION_MISMATCH;
}

/* A tool without arguments whose handler is `on_call`, as the raw fault-test plugins register them. */
static inline mcpd_status raw_add_no_argument_tool(const mcpd_registrar* registrar, const char* name,
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

/* A handler that answers "ok": the well-behaved tool beside a faulty one. */
static inline mcpd_status raw_ok_on_call(void* plugin, void* tool, const mcpd_call_context* call,
                                         mcpd_str arguments, const mcpd_result_builder* result) {
  (void)plugin;
  (void)tool;
  (void)call;
  (void)arguments;
  return result->callback_add_text(result->host_ctx, raw_str("ok"));
}

#endif /* MCPD_TEST_RAW_PLUGIN_SUPPORT_H */
