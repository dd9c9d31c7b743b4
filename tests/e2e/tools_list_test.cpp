// tools/list: the published catalogue, its pagination, and the configurable
// separator between namespace and tool name.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "mcp_session.hpp"

using namespace mcpd_test;

namespace {

// The shipped plugins' tools (milestone 1), published as namespace.tool.
const std::vector<std::string> kShippedTools = {
    "tracking_capture",           "tracking_identify",
    "tracking_pageview",          "tracking_capture_batch",
    "tracking_sessions_list",     "tracking_recordings_list",
    "tracking_recording_frames",  "tracking_ask_question_about_recording",
    "tracking_funnels_run",       "tracking_feature_flags_list",
    "tracking_feature_flag_eval", "gemini_ask_about_images",
    "gemini_models_list",
};
const std::vector<std::string> kTestTools = {
    "hello_greet",        "hello_add",      "testkit_slow",  "testkit_progress",
    "testkit_echo",       "testkit_log",    "testkit_fail",  "testkit_call_other",
    "testkit_ask_client", "testkit_strict", "testkit_trace",
};

// Every tool, following nextCursor; also checks each page's shape.
std::vector<json::object> list_all_tools(McpSession& session, std::size_t max_page_size) {
  std::vector<json::object> tools;
  std::optional<std::string> cursor;
  for (int page = 0; page < 1000; ++page) {
    json::object params;
    if (cursor) params["cursor"] = *cursor;
    const auto result = session.request_result("tools/list", params);
    INFO(json::serialize(result));
    const auto& entries = result.at("tools").as_array();
    CHECK(entries.size() <= max_page_size);
    for (const auto& entry : entries) tools.push_back(entry.as_object());
    const auto* next = result.if_contains("nextCursor");
    if (next == nullptr || next->is_null()) return tools;
    REQUIRE(next->is_string());
    CHECK(!entries.empty());
    cursor = std::string(next->as_string());
  }
  FAIL("tools/list kept returning nextCursor");
  return tools;
}

std::set<std::string> name_set(const std::vector<json::object>& tools) {
  std::set<std::string> names;
  for (const auto& tool : tools) names.insert(std::string(tool.at("name").as_string()));
  return names;
}

}  // namespace

TEST_CASE("tools/list publishes every tool with a description and an input schema", "[tools]") {
  McpSession session;
  session.initialize();
  const auto tools = list_all_tools(session, 1000);
  const auto names = name_set(tools);
  CHECK(names.size() == tools.size());  // no duplicates

  for (const auto& expected : kTestTools) {
    INFO("expected tool " << expected);
    CHECK(names.count(expected) == 1);
  }
  for (const auto& expected : kShippedTools) {
    INFO("expected shipped tool " << expected);
    CHECK(names.count(expected) == 1);
  }
  const auto in_namespace = [&](std::string_view prefix) {
    return std::count_if(names.begin(), names.end(),
                         [&](const std::string& name) { return name.starts_with(prefix); });
  };
  CHECK(in_namespace("tracking_") > 0);
  CHECK(in_namespace("gemini_") > 0);

  for (const auto& tool : tools) {
    INFO(json::serialize(tool));
    REQUIRE(tool.at("description").is_string());
    CHECK_FALSE(tool.at("description").as_string().empty());
    REQUIRE(tool.at("inputSchema").is_object());
    CHECK(tool.at("inputSchema").as_object().at("type") == "object");
  }
}

TEST_CASE("tools/list paginates with the configured page size", "[tools]") {
  McpSession full;
  full.initialize();
  const auto everything = name_set(list_all_tools(full, 1000));

  ServeOptions options = standard_serve_options();
  options.config = json::object{{"server", {{"page_size", 2}}}};
  McpSession paged(options);
  paged.initialize();

  const auto first = paged.request_result("tools/list");
  INFO(json::serialize(first));
  CHECK(first.at("tools").as_array().size() == 2);
  REQUIRE(first.contains("nextCursor"));
  CHECK(first.at("nextCursor").is_string());

  const auto pages = list_all_tools(paged, 2);
  CHECK(pages.size() == everything.size());
  CHECK(name_set(pages) == everything);
}

TEST_CASE("tools/list rejects a cursor it did not issue", "[tools]") {
  McpSession session;
  session.initialize();
  for (const auto* cursor : {"not-a-cursor", "eyJvZmZzZXQiOjk5OTk5fQ=="}) {
    const auto response = session.request("tools/list", {{"cursor", cursor}});
    INFO("cursor '" << cursor << "': " << json::serialize(response));
    CHECK(error_code_of(response) == -32602);
  }
  session.expect_ping_answered();
}

TEST_CASE("the tool name separator is configurable and both forms can be called", "[tools]") {
  ServeOptions options = standard_serve_options();
  options.config = json::object{{"server", {{"tool_name_separator", "_"}}}};
  McpSession session(options);
  session.initialize();

  const auto names = name_set(list_all_tools(session, 1000));
  CHECK(names.count("tracking_capture") == 1);
  CHECK(names.count("hello_greet") == 1);
  CHECK(names.count("testkit_echo") == 1);
  for (const auto& name : names) {
    INFO(name);
    CHECK(name.find('.') == std::string::npos);
  }

  const json::object arguments{{"value", "both forms"}};
  const auto published = session.call_tool_result("testkit_echo", arguments);
  const auto qualified = session.call_tool_result("testkit.echo", arguments);
  INFO(json::serialize(published) << "\n" << json::serialize(qualified));
  CHECK_FALSE(is_error_result(published));
  CHECK_FALSE(is_error_result(qualified));
  CHECK(published.at("structuredContent") == qualified.at("structuredContent"));
  CHECK(published.at("structuredContent").as_object().at("value") == "both forms");
}
