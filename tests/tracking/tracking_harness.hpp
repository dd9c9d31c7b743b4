// Runs `mcpd serve --stdio` with the shipped plugins and a config whose tracking instance points at a
// FakePosthog, and calls tracking tools through it: every test goes through the real host and plugin.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "fake_posthog.hpp"
#include "mcp_session.hpp"

namespace tracking_test {

// plugin_config.tracking for `fake`: one "default" instance with both keys and no project_id (so it is
// resolved from @current), short timeouts and fast retries. `overrides` is merged on top, one level deep
// per object ("retry", "instances.default", ...).
json::object tracking_section(const FakePosthog& fake, const json::object& overrides = {});

// Starts and initializes mcpd with `tracking` as plugin_config.tracking.
std::unique_ptr<mcpd_test::McpSession> start_mcpd(const json::object& tracking,
                                                  std::vector<std::string> environment = {});

// tools/call that must succeed: returns structuredContent (and checks the text block is its JSON).
json::object call_ok(mcpd_test::McpSession& session, const std::string& tool, const json::object& arguments);
// tools/call that must fail with isError: returns the error text.
std::string call_error(mcpd_test::McpSession& session, const std::string& tool,
                       const json::object& arguments);

// True when `text` contains one of the fake's keys (or an obvious part of one).
bool leaks_secret(const std::string& text);

}  // namespace tracking_test
