// Requests that travel beyond one plugin: to the client (sampling), and to a
// tool of another namespace through the host.
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "mcp_session.hpp"

using namespace mcpd_test;

namespace {

bool is_request_for(const json::value& message, std::string_view method) {
  const auto* object = message.if_object();
  if (object == nullptr || !object->contains("id")) return false;
  const auto* name = object->if_contains("method");
  return name != nullptr && name->is_string() && name->as_string() == method;
}

const json::object kSamplingCapability{{"sampling", json::object{}}};

}  // namespace

TEST_CASE("sampling round trip through testkit.ask_client", "[client]") {
  McpSession session;
  session.initialize("2025-11-25", kSamplingCapability);
  const auto call_id = session.send_request(
      "tools/call", {{"name", "testkit.ask_client"}, {"arguments", {{"prompt", "What is 6 times 7?"}}}});

  // The test plays the client: answer the server's request.
  const auto request = session.await_message(
      [](const json::value& message) { return is_request_for(message, "sampling/createMessage"); });
  REQUIRE(request.has_value());
  INFO(json::serialize(*request));
  const auto& params = request->as_object().at("params").as_object();
  CHECK(params.at("messages").as_array().at(0).as_object().at("content").as_object().at("text") ==
        "What is 6 times 7?");
  session.send(json::object{{"jsonrpc", "2.0"},
                            {"id", request->as_object().at("id")},
                            {"result",
                             {{"role", "assistant"},
                              {"content", {{"type", "text"}, {"text", "forty-two, said the test client"}}},
                              {"model", "e2e-test-model"},
                              {"stopReason", "endTurn"}}}});

  const auto response = session.await_response(call_id);
  INFO(json::serialize(response));
  const auto& result = response.at("result").as_object();
  CHECK_FALSE(is_error_result(result));
  const auto& answer = result.at("structuredContent").as_object().at("answer").as_object();
  CHECK(answer.at("model") == "e2e-test-model");
  CHECK(answer.at("content").as_object().at("text") == "forty-two, said the test client");
}

TEST_CASE("a client error answer to sampling becomes the tool's isError", "[client]") {
  McpSession session;
  session.initialize("2025-11-25", kSamplingCapability);
  const auto call_id =
      session.send_request("tools/call", {{"name", "testkit.ask_client"}, {"arguments", json::object{}}});
  const auto request = session.await_message(
      [](const json::value& message) { return is_request_for(message, "sampling/createMessage"); });
  REQUIRE(request.has_value());
  session.send(
      json::object{{"jsonrpc", "2.0"},
                   {"id", request->as_object().at("id")},
                   {"error", {{"code", -1}, {"message", "the user declined the sampling request"}}}});
  const auto response = session.await_response(call_id);
  INFO(json::serialize(response));
  const auto& result = response.at("result").as_object();
  CHECK(is_error_result(result));
  CHECK_THAT(text_of(result), Catch::Contains("the user declined the sampling request"));
  session.expect_ping_answered();
}

TEST_CASE("sampling is refused when the client did not declare it", "[client]") {
  McpSession session;
  session.initialize();  // no sampling capability
  const auto result = session.call_tool_result("testkit.ask_client");
  INFO(json::serialize(result));
  CHECK(is_error_result(result));
  // The plugin got MCPD_ERR_UNSUPPORTED (4) and a message naming the capability.
  CHECK_THAT(text_of(result), Catch::Contains("status 4") && Catch::Contains("sampling"));
  // And the client was never asked.
  for (const auto& message : session.backlog()) {
    INFO(json::serialize(message));
    CHECK_FALSE(is_request_for(message, "sampling/createMessage"));
  }
}

TEST_CASE("a sampling request the client never answers times out", "[client]") {
  McpSession session;
  session.initialize("2025-11-25", kSamplingCapability);
  const auto call_id = session.send_request(
      "tools/call", {{"name", "testkit.ask_client"}, {"arguments", {{"timeout_ms", 300}}}});
  const auto request = session.await_message(
      [](const json::value& message) { return is_request_for(message, "sampling/createMessage"); });
  REQUIRE(request.has_value());
  const auto response = session.await_response(call_id);
  INFO(json::serialize(response));
  const auto& result = response.at("result").as_object();
  CHECK(is_error_result(result));
  CHECK_THAT(text_of(result), Catch::Contains("status 7"));  // MCPD_ERR_TIMEOUT
  session.expect_ping_answered();
}

TEST_CASE("a cross-namespace call: testkit.call_other runs hello.greet", "[client]") {
  McpSession session;
  session.initialize();
  const auto result = session.call_tool_result("testkit.call_other",
                                               {{"name", "hello.greet"}, {"arguments", {{"name", "Grace"}}}});
  INFO(json::serialize(result));
  CHECK_FALSE(is_error_result(result));
  const auto& nested = result.at("structuredContent").as_object().at("nested").as_object();
  CHECK_FALSE(is_error_result(nested));
  CHECK_THAT(text_of(nested), Catch::Contains("Grace"));

  // The nested result is the same one a direct call gives.
  const auto direct = session.call_tool_result("hello.greet", {{"name", "Grace"}});
  CHECK(text_of(nested) == text_of(direct));
}

TEST_CASE("a cross-namespace call reports nested failures", "[client]") {
  McpSession session;
  session.initialize();

  const auto unknown = session.call_tool_result("testkit.call_other", {{"name", "hello.no_such_tool"}});
  INFO(json::serialize(unknown));
  CHECK(is_error_result(unknown));
  CHECK_THAT(text_of(unknown), Catch::Contains("hello.no_such_tool"));

  // Invalid nested arguments are validated like a direct call: isError naming the field.
  const auto invalid = session.call_tool_result(
      "testkit.call_other", {{"name", "testkit.strict"}, {"arguments", {{"name", "ab"}, {"count", 1}}}});
  INFO(json::serialize(invalid));
  const auto* nested = invalid.contains("structuredContent")
                           ? invalid.at("structuredContent").as_object().if_contains("nested")
                           : nullptr;
  const std::string reported = nested != nullptr ? text_of(nested->as_object()) : text_of(invalid);
  CHECK((is_error_result(invalid) || (nested != nullptr && is_error_result(nested->as_object()))));
  CHECK_THAT(reported, Catch::Contains("mode"));
}

TEST_CASE("cancelling a call cancels the nested call it made", "[client]") {
  TempDir dir;
  const auto marker = dir.path() / "nested.marker";
  McpSession session;
  session.initialize();
  const json::object slow_arguments{{"ms", 8000}, {"cancel_marker", marker.string()}};
  const json::object outer_arguments{{"name", "testkit.slow"}, {"arguments", slow_arguments}};
  const auto outer_id =
      session.send_request("tools/call", {{"name", "testkit.call_other"}, {"arguments", outer_arguments}});

  const auto marker_says = [&](std::string_view state, milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      std::ifstream in(marker);
      std::string line;
      std::getline(in, line);
      if (line == state) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  };
  REQUIRE(marker_says("started", std::chrono::seconds(5)));
  session.notify("notifications/cancelled", {{"requestId", outer_id}});
  CHECK(marker_says("cancelled", std::chrono::seconds(3)));

  session.expect_ping_answered();
  session.collect_for(std::chrono::milliseconds(300));
  for (const auto& message : session.backlog()) CHECK_FALSE(has_id(message, outer_id));
}

TEST_CASE("a nested call does not share the caller's progress token", "[client]") {
  McpSession session;
  session.initialize();
  const auto id = session.send_request(
      "tools/call", {{"name", "testkit.call_other"},
                     {"arguments", {{"name", "testkit.progress"}, {"arguments", {{"steps", 3}}}}},
                     {"_meta", {{"progressToken", "outer-token"}}}});
  const auto response = session.await_response(id);
  INFO(json::serialize(response));
  const auto& nested =
      response.at("result").as_object().at("structuredContent").as_object().at("nested").as_object();
  CHECK_THAT(text_of(nested), Catch::Contains("reported 3 steps"));
  session.expect_ping_answered();
  CHECK(session.notifications("notifications/progress").empty());
}
