// The initialize handshake: version negotiation, capabilities, server info,
// and what happens to requests sent before it.
#include <catch2/catch.hpp>

#include "mcp_session.hpp"

using namespace mcpd_test;

TEST_CASE("initialize echoes every supported protocol version", "[initialize]") {
  const std::string version =
      GENERATE(as<std::string>{}, "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
  McpSession session;
  const auto result = session.initialize(version);
  INFO(json::serialize(result));
  CHECK(result.at("protocolVersion") == json::value(version));
  session.expect_ping_answered();
}

TEST_CASE("initialize answers an unknown protocol version with the newest one", "[initialize]") {
  const std::string version = GENERATE(as<std::string>{}, "1999-01-01", "2026-07-28");
  McpSession session;
  const auto result = session.initialize(version);
  INFO(json::serialize(result));
  CHECK(result.at("protocolVersion") == json::value("2025-11-25"));
}

TEST_CASE("initialize declares capabilities and identifies the server", "[initialize]") {
  McpSession session;
  const auto result = session.initialize();
  INFO(json::serialize(result));

  const auto& capabilities = result.at("capabilities").as_object();
  // Tools, logging and (because testkit registers some) resources and prompts.
  for (const auto* name : {"tools", "logging", "resources", "prompts"}) {
    INFO("capability " << name);
    REQUIRE(capabilities.contains(name));
    CHECK(capabilities.at(name).is_object());
  }
  // The server never promises tools/list_changed notifications it would not send as a bool.
  if (const auto* list_changed = capabilities.at("tools").as_object().if_contains("listChanged")) {
    CHECK(list_changed->is_bool());
  }

  const auto& server_info = result.at("serverInfo").as_object();
  REQUIRE(server_info.at("name").is_string());
  CHECK_FALSE(server_info.at("name").as_string().empty());
  CHECK(server_info.at("version") == json::value(BuildPaths::project_version()));

  // Without server.instructions, the instructions say which plugins are here and what they are for.
  REQUIRE(result.contains("instructions"));
  const std::string instructions(result.at("instructions").as_string());
  CHECK_THAT(instructions, Catch::Contains("tracking (PostHog analytics") && Catch::Contains("gemini (") &&
                               Catch::Contains("hello"));
}

TEST_CASE("configured instructions replace the default ones", "[initialize]") {
  ServeOptions options = standard_serve_options();
  options.config = json::object{{"server", {{"instructions", "Use tracking.capture for events."}}}};
  McpSession session(options);
  const auto result = session.initialize();
  CHECK(result.at("instructions") == "Use tracking.capture for events.");
}

TEST_CASE("requests before initialize are refused, ping is answered", "[initialize]") {
  McpSession session;

  // ping is allowed at any time.
  session.expect_ping_answered();

  const auto early = session.request("tools/list");
  INFO(json::serialize(early));
  CHECK(error_code_of(early) == -32600);
  CHECK_FALSE(early.contains("result"));

  const auto early_call = session.call_tool("hello.greet", {{"name", "Ada"}});
  INFO(json::serialize(early_call));
  CHECK(error_code_of(early_call) == -32600);

  // The refusals did not break the session: the handshake still works after them.
  session.initialize();
  const auto listed = session.request_result("tools/list");
  CHECK(listed.at("tools").as_array().size() > 0);
}
