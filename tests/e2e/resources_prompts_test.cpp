// Resources and prompts registered by an SDK plugin reach the client.
#include <catch2/catch.hpp>

#include "mcp_session.hpp"

using namespace mcpd_test;

TEST_CASE("testkit's resource is listed and readable", "[resources]") {
  McpSession session;
  session.initialize();
  const auto listed = session.request_result("resources/list");
  INFO(json::serialize(listed));
  const json::object* hello = nullptr;
  for (const auto& entry : listed.at("resources").as_array()) {
    if (entry.as_object().at("uri") == "testkit://hello") hello = &entry.as_object();
  }
  REQUIRE(hello != nullptr);
  CHECK(hello->at("mimeType") == "text/plain");

  const auto read = session.request_result("resources/read", {{"uri", "testkit://hello"}});
  INFO(json::serialize(read));
  const auto& contents = read.at("contents").as_array();
  REQUIRE(contents.size() == 1);
  CHECK(contents.at(0).as_object().at("uri") == "testkit://hello");
  CHECK(contents.at(0).as_object().at("text") == "Hello from testkit");

  const auto missing = session.request("resources/read", {{"uri", "testkit://nothing-here"}});
  INFO(json::serialize(missing));
  CHECK(missing.contains("error"));
}

TEST_CASE("testkit's prompt is listed and fills in its argument", "[prompts]") {
  McpSession session;
  session.initialize();
  const auto listed = session.request_result("prompts/list");
  INFO(json::serialize(listed));
  const auto names = names_of(listed.at("prompts").as_array());
  REQUIRE(std::find(names.begin(), names.end(), "testkit_greeting") != names.end());

  const auto prompt = session.request_result(
      "prompts/get", {{"name", "testkit.greeting"}, {"arguments", {{"name", "Linus"}}}});
  INFO(json::serialize(prompt));
  const auto& messages = prompt.at("messages").as_array();
  REQUIRE(messages.size() == 1);
  CHECK(messages.at(0).as_object().at("role") == "user");
  CHECK(messages.at(0).as_object().at("content").as_object().at("text") == "Please greet Linus.");

  // The required argument is enforced.
  const auto without = session.request("prompts/get", {{"name", "testkit.greeting"}});
  INFO(json::serialize(without));
  CHECK(error_code_of(without) == -32602);
}
