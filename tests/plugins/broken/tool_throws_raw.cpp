// Misbehaves at call time without the SDK's safety net: the handler of "boom"
// lets a C++ exception escape on_call. The host must answer that call with an
// error (its last-resort try/catch) and keep serving; "ok" must work after.
#include <stdexcept>

#include "../raw_plugin_support.h"

namespace {

mcpd_status boom_on_call(void*, void*, const mcpd_call_context*, mcpd_str, const mcpd_result_builder*) {
  throw std::runtime_error("tool_throws_raw: deliberate exception from on_call");
}

mcpd_status tool_throws_raw_on_init(const mcpd_host_api*, mcpd_str, const mcpd_registrar* registrar, void**) {
  mcpd_status status = raw_add_no_argument_tool(registrar, "boom", boom_on_call);
  if (status == MCPD_OK) status = raw_add_no_argument_tool(registrar, "ok", raw_ok_on_call);
  return status;
}

const mcpd_plugin_descriptor tool_throws_raw_descriptor = {
    .struct_size = sizeof(mcpd_plugin_descriptor),
    .plugin_namespace = MCPD_STR_LIT("tool_throws_raw"),
    .plugin_version = MCPD_STR_LIT("1.0.0"),
    .description = MCPD_STR_LIT("test plugin whose raw on_call throws a C++ exception"),
    .flags = MCPD_PLUGIN_FLAG_NONE,
    .config_schema_json = {nullptr, 0},
    .on_init = tool_throws_raw_on_init,
    .on_shutdown = nullptr,
};

}  // namespace

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  return raw_negotiate_v1(request, response, &tool_throws_raw_descriptor);
}
