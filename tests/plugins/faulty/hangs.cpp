// A plugin with a tool that never returns and ignores cancellation, the
// worst a plugin can do to a worker thread short of crashing: the call
// deadline (server.call_timeout_ms), the plugin's unhealthy state and the
// bounded shutdown are tested against it. "ok" answers at once, to show the
// rest of the plugin (and of the server) still works.
#include <chrono>
#include <thread>

#include "../raw_plugin_support.h"

namespace {

constexpr const char* kNoArgumentsTool =
    R"({"description":"test tool","inputSchema":{"type":"object","additionalProperties":false}})";

mcpd_status forever_on_call(void*, void*, const mcpd_call_context*, mcpd_str, const mcpd_result_builder*) {
  // Deliberately never looks at callback_is_cancelled.
  for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}

mcpd_status ok_on_call(void*, void*, const mcpd_call_context*, mcpd_str, const mcpd_result_builder* result) {
  return result->callback_add_text(result->host_ctx, raw_str("ok"));
}

mcpd_status register_tool(const mcpd_registrar* registrar, const char* name, mcpd_on_call_tool_fn on_call) {
  mcpd_tool_def tool{};
  tool.struct_size = sizeof tool;
  tool.name = raw_str(name);
  tool.definition_json = raw_str(kNoArgumentsTool);
  tool.on_call = on_call;
  return registrar->callback_add_tool(registrar->host_ctx, &tool);
}

mcpd_status hangs_on_init(const mcpd_host_api*, mcpd_str, const mcpd_registrar* registrar, void**) {
  mcpd_status status = register_tool(registrar, "forever", forever_on_call);
  if (status == MCPD_OK) status = register_tool(registrar, "ok", ok_on_call);
  return status;
}

const mcpd_plugin_descriptor hangs_descriptor = {
    .struct_size = sizeof(mcpd_plugin_descriptor),
    .plugin_namespace = MCPD_STR_LIT("hangs"),
    .plugin_version = MCPD_STR_LIT("1.0.0"),
    .description = MCPD_STR_LIT("test plugin whose tool 'forever' never returns and ignores cancellation"),
    .flags = MCPD_PLUGIN_FLAG_NONE,
    .config_schema_json = {nullptr, 0},
    .on_init = hangs_on_init,
    .on_shutdown = nullptr,
};

}  // namespace

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  return raw_negotiate_v1(request, response, &hangs_descriptor);
}
