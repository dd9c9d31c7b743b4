// Tasks and multi round-trip requests over Streamable HTTP: a task and a sealed
// requestState belong to the caller that made them (here: its bearer token), a
// task's id routes through the Mcp-Name header, and the input a task waits for
// arrives with tasks/update on any request.
#include <catch2/catch.hpp>

#include <thread>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

const json::object kTasks{{"extensions", {{"io.modelcontextprotocol/tasks", json::object{}}}}};

json::object envelope(json::object params, json::object capabilities) {
  params["_meta"] = json::object{{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                                 {"io.modelcontextprotocol/clientCapabilities", std::move(capabilities)}};
  return params;
}

// One 2026-07-28 request with the headers the revision asks for, as the holder of `token`.
json::object call(McpHttpClient& client, std::string_view token, std::string_view method,
                  std::string_view name, json::object params) {
  httplib::Headers headers{{"Content-Type", "application/json"},
                           {"Accept", "application/json, text/event-stream"},
                           {"MCP-Protocol-Version", "2026-07-28"},
                           {"Mcp-Method", std::string(method)},
                           {"Authorization", "Bearer " + std::string(token)}};
  if (!name.empty()) headers.emplace("Mcp-Name", std::string(name));
  const json::object body{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", std::move(params)}};
  auto reply = client.post_raw(json::serialize(body), headers);
  INFO(reply.body);
  return reply.response();
}

ServerOptions with_two_tokens() {
  ServerOptions options;
  options.http["auth"] = json::object{{"bearer_tokens", json::array{"token-alice", "token-bob"}}};
  return options;
}

}  // namespace

TEST_CASE("http: a task belongs to the bearer token that made it", "[e2e_http][tasks]") {
  McpdHttpServer server(with_two_tokens());
  McpHttpClient client(server.base_url());
  const auto created = call(client, "token-alice", "tools/call", "testkit.slow_task",
                            envelope({{"name", "testkit.slow_task"}, {"arguments", {{"ms", 100}}}}, kTasks));
  REQUIRE(created.at("result").at("resultType") == "task");
  const std::string id(created.at("result").at("taskId").as_string());

  // Alice polls it to the end; Bob's polls, updates and cancels find nothing.
  json::object task;
  for (int i = 0; i < 100; ++i) {
    task = call(client, "token-alice", "tasks/get", id, envelope({{"taskId", id}}, kTasks))
               .at("result")
               .as_object();
    if (task.at("status") == "completed") break;
    std::this_thread::sleep_for(20ms);
  }
  CHECK(task.at("status") == "completed");
  for (const char* method : {"tasks/get", "tasks/cancel"}) {
    const auto refused = call(client, "token-bob", method, id, envelope({{"taskId", id}}, kTasks));
    CHECK(refused.at("error").at("code") == -32602);
  }
  // The wrong Mcp-Name is a header mismatch, whoever asks.
  CHECK(call(client, "token-alice", "tasks/get", "another-id", envelope({{"taskId", id}}, kTasks))
            .at("error")
            .at("code") == -32020);
}

TEST_CASE("http: a requestState sealed for one caller is refused to another", "[e2e_http][mrtr]") {
  McpdHttpServer server(with_two_tokens());
  McpHttpClient client(server.base_url());
  const json::object elicitation{{"elicitation", json::object{}}};
  const auto params = envelope({{"name", "testkit.ask_name"}, {"arguments", json::object{}}}, elicitation);
  const auto asked =
      call(client, "token-alice", "tools/call", "testkit.ask_name", params).at("result").as_object();
  REQUIRE(asked.at("resultType") == "input_required");
  auto retry = params;
  retry["requestState"] = asked.at("requestState");
  retry["inputResponses"] = json::object{{"name", {{"action", "accept"}, {"content", {{"name", "Bob"}}}}}};
  const auto refused = call(client, "token-bob", "tools/call", "testkit.ask_name", retry);
  CHECK(refused.at("error").at("code") == -32602);
  CHECK_THAT(std::string(refused.at("error").at("message").as_string()), Catch::Contains("caller"));
  // The caller it was made for gets the answer (a refused state is not used up).
  const auto answered = call(client, "token-alice", "tools/call", "testkit.ask_name", retry);
  CHECK(answered.at("result").at("content").at(0).at("text") == "Hello, Bob!");
}
