// tools/call: results of each shape, argument validation before the handler,
// unknown tools, and a plugin written in plain C.
#include <catch2/catch.hpp>

#include "mcp_session.hpp"

using namespace mcpd_test;

TEST_CASE("tools/call hello.greet answers with text", "[tools][call]") {
  McpSession session;
  session.initialize();
  const auto result = session.call_tool_result("hello.greet", {{"name", "Ada"}});
  INFO(json::serialize(result));
  CHECK_FALSE(is_error_result(result));
  CHECK_THAT(text_of(result), Catch::Contains("Ada"));
}

TEST_CASE("tools/call hello.add answers with structuredContent", "[tools][call]") {
  McpSession session;
  session.initialize();
  const auto result = session.call_tool_result("hello.add", {{"a", 2}, {"b", 40}});
  INFO(json::serialize(result));
  CHECK_FALSE(is_error_result(result));
  REQUIRE(result.contains("structuredContent"));
  CHECK(result.at("structuredContent").as_object().at("sum").to_number<double>() == 42.0);
  // Structured content is also given as text for clients that ignore it.
  CHECK_THAT(text_of(result), Catch::Contains("42"));
}

TEST_CASE("structuredContent is not sent to clients older than 2025-06-18", "[tools][call]") {
  McpSession session;
  session.initialize("2025-03-26");
  const auto result = session.call_tool_result("testkit.echo", {{"value", 7}});
  INFO(json::serialize(result));
  CHECK_FALSE(result.contains("structuredContent"));
  CHECK_THAT(text_of(result), Catch::Contains("7"));
}

TEST_CASE("tools/call returns any JSON value through testkit.echo", "[tools][call]") {
  McpSession session;
  session.initialize();
  const json::value value =
      GENERATE(json::value(nullptr), json::value(true), json::value(-12), json::value(3.5),
               json::value("text with \"quotes\" and \u00e9"), json::parse(R"([1, [2, {"deep": null}]])"),
               json::parse(R"({"a": {"b": [true, false]}})"));
  const auto result = session.call_tool_result("testkit.echo", {{"value", value}});
  INFO(json::serialize(result));
  CHECK_FALSE(is_error_result(result));
  CHECK(result.at("structuredContent").as_object().at("value") == value);
  CHECK(json::parse(text_of(result)).as_object().at("value") == value);
}

TEST_CASE("invalid arguments give isError naming the offending field", "[tools][call][validation]") {
  struct Case {
    const char* what;
    const char* arguments;
    const char* field;
  };
  const auto bad = GENERATE(
      Case{"a required field is missing", R"({"name": "ab", "count": 1})", "mode"},
      Case{"a string is too short", R"({"name": "a", "mode": "fast", "count": 1})", "name"},
      Case{"a value is not in the enum", R"({"name": "ab", "mode": "sloppy", "count": 1})", "mode"},
      Case{"an integer is above its maximum", R"({"name": "ab", "mode": "fast", "count": 11})", "count"},
      Case{"an integer is below its minimum", R"({"name": "ab", "mode": "fast", "count": 0})", "count"},
      Case{"a number has the wrong type", R"({"name": "ab", "mode": "fast", "count": "three"})", "count"},
      Case{"an integer is fractional", R"({"name": "ab", "mode": "fast", "count": 2.5})", "count"},
      Case{"an unknown property", R"({"name": "ab", "mode": "fast", "count": 1, "bogus": 1})", "bogus"},
      Case{"a nested required field is missing",
           R"({"name": "ab", "mode": "fast", "count": 1, "options": {}})", "verbose"},
      Case{"a nested field has the wrong type",
           R"({"name": "ab", "mode": "fast", "count": 1, "options": {"verbose": "yes"}})", "verbose"},
      Case{"a nested unknown property",
           R"({"name": "ab", "mode": "fast", "count": 1, "options": {"verbose": true, "extra": 1}})",
           "extra"},
      Case{"an array item has the wrong type",
           R"({"name": "ab", "mode": "fast", "count": 1, "tags": ["x", 5]})", "tags"},
      Case{"an array is too long",
           R"({"name": "ab", "mode": "fast", "count": 1, "tags": ["a", "b", "c", "d"]})", "tags"});

  McpSession session;
  session.initialize();
  const auto response = session.call_tool("testkit.strict", json::parse(bad.arguments).as_object());
  INFO(bad.what << ": " << json::serialize(response));
  // Validation failures are tool results (SEP-1303), not JSON-RPC errors.
  REQUIRE(response.contains("result"));
  const auto& result = response.at("result").as_object();
  CHECK(is_error_result(result));
  CHECK_THAT(text_of(result), Catch::Contains(bad.field));
  session.expect_ping_answered();
}

TEST_CASE("several invalid arguments are all named in one result", "[tools][call][validation]") {
  McpSession session;
  session.initialize();
  const auto result = session.call_tool_result(
      "testkit.strict", json::parse(R"({"name": "a", "mode": "sloppy", "count": 1})").as_object());
  INFO(json::serialize(result));
  CHECK(is_error_result(result));
  CHECK_THAT(text_of(result), Catch::Contains("name") && Catch::Contains("mode") && Catch::Contains("; "));
}

TEST_CASE("valid arguments reach the handler unchanged", "[tools][call][validation]") {
  McpSession session;
  session.initialize();
  const auto arguments = json::parse(
                             R"({"name": "ab", "mode": "thorough", "count": 10, "ratio": 0.5,
                                 "options": {"verbose": false, "depth": 0}, "tags": ["x", "y"]})")
                             .as_object();
  const auto result = session.call_tool_result("testkit.strict", arguments);
  INFO(json::serialize(result));
  CHECK_FALSE(is_error_result(result));
  CHECK(result.at("structuredContent").as_object().at("accepted") == arguments);
}

TEST_CASE("a tool result with isError reaches the client as such", "[tools][call]") {
  McpSession session;
  session.initialize();
  const auto result = session.call_tool_result("testkit.fail");
  INFO(json::serialize(result));
  CHECK(is_error_result(result));
  CHECK_THAT(text_of(result), Catch::Contains("failed on purpose"));
}

TEST_CASE("an unknown tool is a JSON-RPC error naming it", "[tools][call]") {
  McpSession session;
  session.initialize();
  for (const auto* name : {"nope.nothing", "hello.nothing", "hello", ""}) {
    const auto response = session.call_tool(name);
    INFO("name '" << name << "': " << json::serialize(response));
    CHECK(error_code_of(response) == -32602);
    CHECK_THAT(error_message_of(response), Catch::Contains(name));
  }
  const auto no_name = session.request("tools/call", {{"arguments", json::object{}}});
  INFO(json::serialize(no_name));
  CHECK(error_code_of(no_name) == -32602);
  session.expect_ping_answered();
}

TEST_CASE("a plugin written in plain C loads and serves", "[tools][call]") {
  ServeOptions options;
  options.plugins = {BuildPaths::test_plugin("c_minimal")};
  McpSession session(options);
  session.initialize("2025-06-18");
  const auto listed = session.request_result("tools/list");
  const auto names = names_of(listed.at("tools").as_array());
  CHECK(std::find(names.begin(), names.end(), "c_minimal_describe_call") != names.end());

  const auto result = session.call_tool_result("c_minimal.describe_call", {{"text", "from a C plugin"}});
  INFO(json::serialize(result));
  CHECK_FALSE(is_error_result(result));
  CHECK_THAT(text_of(result), Catch::Contains("from a C plugin") && Catch::Contains("2025-06-18"));
}
