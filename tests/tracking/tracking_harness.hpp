// Runs `mcpd serve --stdio` with the shipped plugins and a config whose tracking instance points at a
// FakePosthog, and calls tracking tools through it: every test goes through the real host and plugin.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

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

// plugin_config.tracking that lets the tools read local videos from `dir` (local_video_dirs), plus `extra`.
json::object local_files_config(const std::filesystem::path& dir, json::object extra = {});

// The bytes of a base64 text (an image content block's data).
std::vector<std::uint8_t> base64_bytes(std::string_view text);

// True when `text` contains one of the fake's keys (or an obvious part of one).
bool leaks_secret(const std::string& text);

// An MCP Apps view as a person sees it: tests/views/view_check.mjs draws `html` in chromium (headless)
// inside a test host page, hands it `input` and `result` as a host does, and reports what the page showed
// (see `--facts` there). `extra` goes to the script as it is. A tools/call the view makes is forwarded to
// `forward_to` (none: refused). A screenshot lands in test-artifacts/views/<screenshot>.png.
struct ViewCheck {
  std::string facts;  // which reader: "funnel", "recording"
  std::string html;
  json::object result;
  json::object input;
  std::string theme = "light";
  std::string screenshot;
  std::vector<std::string> extra = {};
  mcpd_test::McpSession* forward_to = nullptr;
};
json::object seen_in_browser(const ViewCheck& check);

// The HTML of the view at `uri`, as resources/read gives it to the client.
std::string view_html(mcpd_test::McpSession& session, std::string_view uri);

// The MCP Apps capability, as a client of the extension declares it.
const json::object& apps_capabilities();

}  // namespace tracking_test
