// A plugin with a tool that never returns and ignores cancellation, the
// worst a plugin can do to a worker thread short of crashing: the call
// deadline (server.call_timeout_ms), the plugin's unhealthy state and the
// bounded shutdown are tested against it. "ok" answers at once, to show the
// rest of the plugin (and of the server) still works.
#include <chrono>
#include <thread>

#include "../raw_plugin_support.h"

namespace {

mcpd_status forever_on_call(void*, void*, const mcpd_call_context*, mcpd_str, const mcpd_result_builder*) {
  // Deliberately never looks at callback_is_cancelled.
  for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}

mcpd_status hangs_on_init(const mcpd_host_api*, mcpd_str, const mcpd_registrar* registrar, void**) {
  mcpd_status status = raw_add_no_argument_tool(registrar, "forever", forever_on_call);
  if (status == MCPD_OK) status = raw_add_no_argument_tool(registrar, "ok", raw_ok_on_call);
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
