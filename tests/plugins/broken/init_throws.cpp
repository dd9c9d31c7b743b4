// Broken on purpose: on_init lets a C++ exception escape across the C ABI,
// which the contract forbids. The host's last-resort try/catch around ABI
// calls must turn it into a load failure naming this file, not a crash.
#include <stdexcept>

#include "../raw_plugin_support.h"

namespace {

mcpd_status init_throws_on_init(const mcpd_host_api*, mcpd_str, const mcpd_registrar*, void**) {
  throw std::runtime_error("init_throws: deliberate exception from on_init");
}

const mcpd_plugin_descriptor init_throws_descriptor = {
    .struct_size = sizeof(mcpd_plugin_descriptor),
    .plugin_namespace = MCPD_STR_LIT("init_throws"),
    .plugin_version = MCPD_STR_LIT("1.0.0"),
    .description = MCPD_STR_LIT("test plugin whose on_init throws a C++ exception"),
    .flags = MCPD_PLUGIN_FLAG_NONE,
    .config_schema_json = {nullptr, 0},
    .on_init = init_throws_on_init,
    .on_shutdown = nullptr,
};

}  // namespace

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  return raw_negotiate_v1(request, response, &init_throws_descriptor);
}
