// logging/setLevel and the notifications/message it filters.
#include <catch2/catch.hpp>
#include <set>

#include "mcp_session.hpp"

using namespace mcpd_test;

namespace {

// The levels of the notifications/message that testkit.log produced.
std::vector<std::string> logged_levels(McpSession& session) {
  session.clear_backlog();
  const auto result = session.call_tool_result("testkit.log");
  CHECK_FALSE(is_error_result(result));
  // Notifications written during the call precede its response; a ping makes sure.
  session.expect_ping_answered();
  std::vector<std::string> levels;
  for (const auto& message : session.notifications("notifications/message")) {
    const auto& params = message.at("params").as_object();
    INFO(json::serialize(params));
    CHECK(params.at("logger") == "testkit");
    CHECK(params.at("data").as_object().at("level") == params.at("level"));
    levels.emplace_back(params.at("level").as_string());
  }
  return levels;
}

}  // namespace

TEST_CASE("logging/setLevel filters notifications/message by severity", "[logging]") {
  McpSession session;
  session.initialize();

  CHECK(session.request_result("logging/setLevel", {{"level", "warning"}}).empty());
  CHECK(logged_levels(session) == std::vector<std::string>{"warning", "error"});

  CHECK(session.request_result("logging/setLevel", {{"level", "debug"}}).empty());
  CHECK(logged_levels(session) == std::vector<std::string>{"debug", "info", "warning", "error"});

  CHECK(session.request_result("logging/setLevel", {{"level", "error"}}).empty());
  CHECK(logged_levels(session) == std::vector<std::string>{"error"});

  CHECK(session.request_result("logging/setLevel", {{"level", "emergency"}}).empty());
  CHECK(logged_levels(session).empty());
}

TEST_CASE("logging/setLevel rejects an unknown level", "[logging]") {
  McpSession session;
  session.initialize();
  for (const json::value& level : {json::value("loud"), json::value(3), json::value(nullptr)}) {
    const auto response = session.request("logging/setLevel", {{"level", level}});
    INFO(json::serialize(response));
    CHECK(error_code_of(response) == -32602);
  }
  const auto missing = session.request("logging/setLevel", {});
  INFO(json::serialize(missing));
  CHECK(error_code_of(missing) == -32602);
  session.expect_ping_answered();
}
