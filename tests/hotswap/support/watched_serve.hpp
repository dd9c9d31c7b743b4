// `mcpd serve` over a watched plugins directory, for the end-to-end hot-swap tests: options that make
// reloads quick (short debounce, a private staging directory), and waiting for the tools/list_changed
// notification a reload sends.
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <optional>

#include "mcp_session.hpp"
#include "support/plugin_dir.hpp"

namespace hotswap_test {

mcpd_test::ServeOptions watched(const ScratchDir& plugins, const ScratchDir& scratch);

std::optional<boost::json::value> await_tools_changed(mcpd_test::McpSession& session,
                                                      std::chrono::milliseconds timeout);

}  // namespace hotswap_test
