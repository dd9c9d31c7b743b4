// Namespace "swap", but on_init lets a C++ exception escape across the C ABI
// (what the SDK never does). Swapped in over a good version, it must be
// refused while the good version keeps answering.
#include <stdexcept>

#include "../../plugins/raw_plugin_support.h"

namespace {

mcpd_status throwing_init(const mcpd_host_api*, mcpd_str, const mcpd_registrar*, void**) {
  throw std::runtime_error("swap_init_throws: deliberate exception from on_init");
}

const mcpd_plugin_descriptor descriptor = {
    sizeof(mcpd_plugin_descriptor),
    MCPD_STR_LIT("swap"),
    MCPD_STR_LIT("9.0.0-throws"),
    MCPD_STR_LIT("hot-swap test: on_init throws"),
    MCPD_PLUGIN_FLAG_NONE,
    {nullptr, 0},
    throwing_init,
    nullptr,
};

}  // namespace

extern "C" MCPD_PLUGIN_EXPORT mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request,
                                                                mcpd_negotiate_response* response) {
  return raw_negotiate_v1(request, response, &descriptor);
}
