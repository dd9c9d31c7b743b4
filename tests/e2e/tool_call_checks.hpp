// What the end-to-end suites of the shipped plugins share: starting mcpd with the shipped plugins and a
// plugin_config, and assertions around one tools/call: the call succeeded with structuredContent (and its
// text block says the same), or failed with isError; and in either case no secret of the suite's fake
// upstream leaked into what the client saw.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "mcp_session.hpp"

namespace mcpd_test {

// Copies `from` into `into`; where both hold an object under the same key, merges those instead (the
// suites' config sections take overrides this way: "retry", "instances.default", ...).
inline void merge_objects(json::object& into, const json::object& from) {
  for (const auto& [key, value] : from) {
    auto* existing = into.if_contains(key);
    if (existing != nullptr && existing->is_object() && value.is_object()) {
      merge_objects(existing->get_object(), value.get_object());
    } else {
      into[key] = value;
    }
  }
}

// An initialized `mcpd serve --stdio` with the build's shipped plugins (tracking.so, gemini.so), the given
// plugin_config ({"tracking": {...}, "gemini": {...}}), the config's server section when not empty, and
// extra NAME=value environment entries.
inline std::unique_ptr<McpSession> start_shipped_plugins(json::object plugin_config,
                                                         const json::object& server = {},
                                                         std::vector<std::string> environment = {}) {
  ServeOptions options;
  options.plugin_dirs = {BuildPaths::shipped_plugins_dir()};
  options.config = json::object{{"plugin_config", std::move(plugin_config)}};
  if (!server.empty()) options.config->emplace("server", server);
  options.environment = std::move(environment);
  auto session = std::make_unique<McpSession>(std::move(options));
  session->initialize();
  return session;
}

// `leaks(text)` is true when `text` contains one of the suite's secrets.
template <typename LeakCheck>
json::object structured_result_of(McpSession& session, const std::string& tool, const json::object& arguments,
                                  LeakCheck leaks) {
  const auto result = session.call_tool_result(tool, arguments);
  INFO(tool << " -> " << json::serialize(result) << "\nstderr:\n" << session.diagnostics());
  REQUIRE_FALSE(is_error_result(result));
  REQUIRE(result.contains("structuredContent"));
  const auto& structured = result.at("structuredContent").as_object();
  CHECK(json::parse(text_of(result)) == json::value(structured));
  CHECK_FALSE(leaks(json::serialize(result)));
  return structured;
}

template <typename LeakCheck>
std::string error_text_of(McpSession& session, const std::string& tool, const json::object& arguments,
                          LeakCheck leaks) {
  const auto result = session.call_tool_result(tool, arguments);
  INFO(tool << " -> " << json::serialize(result));
  REQUIRE(is_error_result(result));
  const std::string text = text_of(result);
  CHECK_FALSE(leaks(text));
  return text;
}

}  // namespace mcpd_test
