// Handlers that need input from the client (plugin ABI 1.2, MCP 2026-07-28's
// multi round-trip requests), over stdio: one SDK handler serves a modern
// client (input_required, then the retry) and a legacy one (the host sends
// elicitation/create itself); the sealed requestState refuses tampering,
// another request's state and replays; a plugin blocked in the old
// callback_client_request is suspended for a modern client and resumed by its
// retry; and a plugin built against ABI 1.1 keeps loading and serving.
#include <catch2/catch.hpp>

#include <thread>

#include "mcp_session.hpp"
#include "response_checks.hpp"

using namespace mcpd_test;

namespace {

const json::object kElicitation{{"elicitation", json::object{}}};

json::object accept(json::object content) {
  return json::object{{"action", "accept"}, {"content", std::move(content)}};
}

json::object ask_name(json::object arguments = {}) {
  return modern({{"name", "testkit.ask_name"}, {"arguments", std::move(arguments)}}, kElicitation);
}

json::object retry_of(json::object request, const json::object& asked, json::object responses) {
  request["inputResponses"] = std::move(responses);
  request["requestState"] = asked.at("requestState");
  return request;
}

bool is_request_for(const json::value& message, std::string_view method) {
  const auto* object = message.if_object();
  return object != nullptr && object->contains("id") && object->contains("method") &&
         object->at("method") == json::value(method);
}

}  // namespace

TEST_CASE("a modern client answers a handler's question by retrying with inputResponses", "[mrtr]") {
  McpSession session;
  const auto asked = result_of(session.request("tools/call", ask_name()));
  CHECK(asked.at("resultType") == "input_required");
  const auto& request = asked.at("inputRequests").at("name").as_object();
  CHECK(request.at("method") == "elicitation/create");
  CHECK(request.at("params").at("message") == "What is your name?");
  REQUIRE(asked.at("requestState").is_string());
  // The handler's own state ("asked:Hello") is sealed, not shown.
  CHECK(asked.at("requestState").as_string().find("asked:") == json::string::npos);
  CHECK_FALSE(asked.contains("ttlMs"));

  const auto answered = result_of(
      session.request("tools/call", retry_of(ask_name(), asked, {{"name", accept({{"name", "Ada"}})}})));
  CHECK(answered.at("resultType") == "complete");
  CHECK(text_of(answered) == "Hello, Ada!");

  // An answer that is missing is asked for again.
  const auto again = result_of(session.request(
      "tools/call",
      retry_of(ask_name(), result_of(session.request("tools/call", ask_name())), {{"other", accept({})}})));
  CHECK(again.at("resultType") == "input_required");
  CHECK(again.at("inputRequests").as_object().contains("name"));
}

TEST_CASE("the same handler asks a legacy client with a request the host sends", "[mrtr]") {
  McpSession session;
  session.initialize("2025-11-25", kElicitation);
  const auto id =
      session.send_request("tools/call", {{"name", "testkit.ask_name"}, {"arguments", {{"greeting", "Hi"}}}});
  const auto question =
      session.await_message([](const json::value& m) { return is_request_for(m, "elicitation/create"); });
  REQUIRE(question.has_value());
  CHECK(question->at("params").at("message") == "What is your name?");
  session.send(
      json::object{{"jsonrpc", "2.0"}, {"id", question->at("id")}, {"result", accept({{"name", "Grace"}})}});
  const auto answered = result_of(session.await_response(id));
  CHECK(text_of(answered) == "Hi, Grace!");
  CHECK_FALSE(answered.contains("resultType"));  // a legacy result keeps its legacy shape
}

TEST_CASE("a modern client that cannot answer a question gets -32021 naming the capability", "[mrtr]") {
  McpSession session;
  const auto error = error_of(session.request(
      "tools/call",
      modern({{"name", "testkit.ask_name"}, {"arguments", json::object{}}}, {{"sampling", json::object{}}})));
  CHECK(error.at("code") == -32021);
  CHECK(error.at("data").at("requiredCapabilities") == json::object{{"elicitation", json::object{}}});
}

TEST_CASE("a requestState that was altered, made for another request or used before is refused", "[mrtr]") {
  McpSession session;
  const auto asked = result_of(session.request("tools/call", ask_name({{"greeting", "Hello"}})));
  const std::string state(asked.at("requestState").as_string());
  const json::object answer{{"name", accept({{"name", "Ada"}})}};

  SECTION("altered") {
    for (std::size_t at : {std::size_t{0}, state.size() / 2, state.size() - 1}) {
      std::string tampered = state;
      tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
      auto retry = retry_of(ask_name({{"greeting", "Hello"}}), asked, answer);
      retry["requestState"] = tampered;
      const auto error = error_of(session.request("tools/call", retry));
      CHECK(error.at("code") == -32602);
      CHECK_THAT(std::string(error.at("message").as_string()), Catch::Contains("requestState"));
    }
    auto appended = retry_of(ask_name({{"greeting", "Hello"}}), asked, answer);
    appended["requestState"] = state + "-TAMPERED";
    CHECK(error_of(session.request("tools/call", appended)).at("code") == -32602);
  }
  SECTION("other arguments") {
    const auto error =
        error_of(session.request("tools/call", retry_of(ask_name({{"greeting", "Bye"}}), asked, answer)));
    CHECK(error.at("code") == -32602);
    CHECK_THAT(std::string(error.at("message").as_string()), Catch::Contains("different request"));
  }
  SECTION("another tool") {
    auto other = retry_of(modern({{"name", "testkit.echo"}, {"arguments", {{"value", "x"}}}}, kElicitation),
                          asked, answer);
    const auto error = error_of(session.request("tools/call", other));
    CHECK(error.at("code") == -32602);
  }
  SECTION("replayed") {
    const auto first =
        result_of(session.request("tools/call", retry_of(ask_name({{"greeting", "Hello"}}), asked, answer)));
    CHECK(text_of(first) == "Hello, Ada!");
    const auto error =
        error_of(session.request("tools/call", retry_of(ask_name({{"greeting", "Hello"}}), asked, answer)));
    CHECK(error.at("code") == -32602);
    CHECK_THAT(std::string(error.at("message").as_string()), Catch::Contains("already"));
  }
  SECTION("not an object of answers") {
    auto retry = retry_of(ask_name({{"greeting", "Hello"}}), asked, answer);
    retry["inputResponses"] = json::object{{"name", 12345}};
    CHECK(error_of(session.request("tools/call", retry)).at("code") == -32602);
    retry["inputResponses"] = nullptr;
    CHECK(error_of(session.request("tools/call", retry)).at("code") == -32602);
  }
}

TEST_CASE("a plugin built against ABI 1.1 loads and serves both eras, its blocking request included",
          "[mrtr][abi]") {
  auto options = standard_serve_options();
  options.plugins.push_back(BuildPaths::test_plugins_dir() + "/abi11.so");
  McpSession session(options);

  const auto echoed = result_of(
      session.request("tools/call", modern({{"name", "abi11.echo"}, {"arguments", {{"value", "old"}}}})));
  CHECK(text_of(echoed) == "old (2026-07-28)");

  // Its client_request (elicitation) blocks in the plugin: a modern client gets input_required naming
  // the waiting call, and its retry resumes the very same handler.
  const auto confirm = modern({{"name", "abi11.confirm"}, {"arguments", json::object{}}}, kElicitation);
  const auto asked = result_of(session.request("tools/call", confirm));
  REQUIRE(asked.at("resultType") == "input_required");
  const auto& requests = asked.at("inputRequests").as_object();
  REQUIRE(requests.size() == 1);
  const std::string key(requests.begin()->key());
  CHECK(requests.begin()->value().at("method") == "elicitation/create");
  CHECK(requests.begin()->value().at("params").at("message") == "Proceed?");
  const auto answered =
      result_of(session.request("tools/call", retry_of(confirm, asked, {{key, accept({{"ok", true}})}})));
  CHECK(text_of(answered) == R"(answer: {"action":"accept","content":{"ok":true}})");

  // A legacy session: the same plugin, the old way.
  session.initialize("2025-06-18", kElicitation);
  const auto id =
      session.send_request("tools/call", {{"name", "abi11.confirm"}, {"arguments", json::object{}}});
  const auto question =
      session.await_message([](const json::value& m) { return is_request_for(m, "elicitation/create"); });
  REQUIRE(question.has_value());
  session.send(
      json::object{{"jsonrpc", "2.0"}, {"id", question->at("id")}, {"result", {{"action", "decline"}}}});
  CHECK(text_of(result_of(session.await_response(id))) == R"(answer: {"action":"decline"})");
  CHECK(text_of(result_of(session.request(
            "tools/call", {{"name", "abi11.echo"}, {"arguments", {{"value", "v"}}}}))) == "v (2025-06-18)");
}

TEST_CASE("the report example asks for its format, then runs as a task (modern) or in the request (legacy)",
          "[mrtr][tasks][example]") {
  auto options = standard_serve_options();
  options.plugins.push_back(BuildPaths::test_plugins_dir() + "/report.so");
  McpSession session(options);
  json::object capabilities = kElicitation;
  capabilities["extensions"] = json::object{{"io.modelcontextprotocol/tasks", json::object{}}};
  const auto call = modern({{"name", "report.build"}, {"arguments", {{"rows", 30}}}}, capabilities);
  const auto asked = result_of(session.request("tools/call", call));
  REQUIRE(asked.at("resultType") == "input_required");
  CHECK(asked.at("inputRequests")
            .at("format")
            .at("params")
            .at("requestedSchema")
            .at("properties")
            .at("format")
            .at("enum") == json::array{"csv", "markdown"});
  const auto task = result_of(
      session.request("tools/call", retry_of(call, asked, {{"format", accept({{"format", "markdown"}})}})));
  REQUIRE(task.at("resultType") == "task");
  json::object state;
  for (int i = 0; i < 200; ++i) {
    state = result_of(session.request("tasks/get", modern({{"taskId", task.at("taskId")}}, capabilities)));
    if (state.at("status") == "completed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  REQUIRE(state.at("status") == "completed");
  const std::string report = text_of(state.at("result").as_object());
  CHECK(report.starts_with("| row | value |\n|---|---|\n| 1 | 1 |\n| 2 | 4 |\n"));
  CHECK(report.ends_with("| 30 | 900 |\n"));

  session.initialize("2025-11-25", kElicitation);
  const auto id =
      session.send_request("tools/call", {{"name", "report.build"}, {"arguments", {{"rows", 3}}}});
  const auto question =
      session.await_message([](const json::value& m) { return is_request_for(m, "elicitation/create"); });
  REQUIRE(question.has_value());
  session.send(
      json::object{{"jsonrpc", "2.0"}, {"id", question->at("id")}, {"result", accept({{"format", "csv"}})}});
  CHECK(text_of(result_of(session.await_response(id))) == "row,value\n1,1\n2,4\n3,9\n");
}
