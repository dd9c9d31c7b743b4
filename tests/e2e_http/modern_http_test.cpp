// MCP 2026-07-28 over Streamable HTTP, beside the legacy sessions on the same
// endpoint: no session, the headers checked against the body, the revision's
// HTTP statuses with JSON-RPC bodies that echo the id, streams without event
// ids, and subscriptions/listen.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

json::object envelope(json::object params = {}, json::object capabilities = {}) {
  params["_meta"] = json::object{{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                                 {"io.modelcontextprotocol/clientCapabilities", std::move(capabilities)}};
  return params;
}

// The headers a 2026-07-28 client sends with `method` (and Mcp-Name for `name`).
httplib::Headers modern_headers(std::string_view method, std::string_view name = {}) {
  httplib::Headers headers{{"Content-Type", "application/json"},
                           {"Accept", "application/json, text/event-stream"},
                           {"MCP-Protocol-Version", "2026-07-28"},
                           {"Mcp-Method", std::string(method)}};
  if (!name.empty()) headers.emplace("Mcp-Name", std::string(name));
  return headers;
}

json::object message(const json::value& id, std::string_view method, json::object params) {
  return json::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

Reply post(McpHttpClient& client, const json::object& body, const httplib::Headers& headers) {
  return client.post_raw(json::serialize(body), headers);
}

}  // namespace

TEST_CASE("http: a modern request needs no session, and gets none, even on a sessionful server",
          "[e2e_http][modern]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  auto reply = post(client, message(1, "tools/list", envelope()), modern_headers("tools/list"));
  REQUIRE(reply.status == 200);
  CHECK(reply.header("Mcp-Session-Id").empty());
  const auto result = reply.response().at("result").as_object();
  CHECK(result.at("resultType") == "complete");
  CHECK(result.at("cacheScope") == "public");

  // A stale session id is ignored, never 404.
  auto headers = modern_headers("tools/call", "testkit.echo");
  headers.emplace("Mcp-Session-Id", "no-such-session");
  reply = post(
      client, message("c", "tools/call", envelope({{"name", "testkit.echo"}, {"arguments", {{"value", 3}}}})),
      headers);
  REQUIRE(reply.status == 200);
  CHECK(reply.response().at("result").at("structuredContent").at("value") == 3);

  // The legacy path beside it is unchanged: unknown session 404, with the id echoed.
  reply = client.post_raw(R"({"jsonrpc":"2.0","id":9,"method":"tools/list"})",
                          {{"Content-Type", "application/json"},
                           {"Accept", "application/json, text/event-stream"},
                           {"Mcp-Session-Id", "no-such-session"}});
  CHECK(reply.status == 404);
  CHECK(reply.json().at("id") == 9);
}

TEST_CASE("http: the revision's statuses, each with a JSON-RPC body echoing the id", "[e2e_http][modern]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  SECTION("modern header, no envelope: 400 -32602") {
    auto reply = post(client, message(11, "tools/list", {}), modern_headers("tools/list"));
    CHECK(reply.status == 400);
    CHECK(reply.json().at("id") == 11);
    CHECK(reply.json().at("error").at("code") == -32602);
  }
  SECTION("header and body disagree on the version: 400 -32020, even when the body's is unknown") {
    json::object params = envelope();
    params["_meta"].as_object()["io.modelcontextprotocol/protocolVersion"] = "2099-01-01";
    auto reply = post(client, message(12, "server/discover", params), modern_headers("server/discover"));
    CHECK(reply.status == 400);
    CHECK(reply.json().at("error").at("code") == -32020);
  }
  SECTION("unsupported version: 400 -32022 listing what is supported") {
    json::object params = envelope();
    params["_meta"].as_object()["io.modelcontextprotocol/protocolVersion"] = "2099-01-01";
    auto headers = modern_headers("server/discover");
    headers.erase("MCP-Protocol-Version");
    headers.emplace("MCP-Protocol-Version", "2099-01-01");
    auto reply = post(client, message(13, "server/discover", params), headers);
    CHECK(reply.status == 400);
    CHECK(reply.json().at("error").at("code") == -32022);
    CHECK(reply.json().at("error").at("data").at("supported") == json::array{"2026-07-28"});
  }
  SECTION("a method of the handshake era: 404 -32601") {
    auto reply = post(client, message(14, "ping", envelope()), modern_headers("ping"));
    CHECK(reply.status == 404);
    CHECK(reply.json().at("id") == 14);
    CHECK(reply.json().at("error").at("code") == -32601);
  }
  SECTION("Mcp-Method missing or different: 400 -32020") {
    auto headers = modern_headers("tools/list");
    headers.erase("Mcp-Method");
    CHECK(post(client, message(15, "tools/list", envelope()), headers).json().at("error").at("code") ==
          -32020);
    auto reply = post(client, message(16, "tools/list", envelope()), modern_headers("prompts/list"));
    CHECK(reply.status == 400);
    CHECK(reply.json().at("error").at("code") == -32020);
  }
  SECTION("Mcp-Name required for tools/call") {
    auto reply = post(client, message(17, "tools/call", envelope({{"name", "testkit.echo"}})),
                      modern_headers("tools/call"));
    CHECK(reply.status == 400);
    CHECK(reply.json().at("error").at("code") == -32020);
  }
  SECTION("a capability the request did not declare: 400 -32021") {
    auto reply = post(client, message(18, "tools/call", envelope({{"name", "testkit.ask_client"}})),
                      modern_headers("tools/call", "testkit.ask_client"));
    CHECK(reply.status == 400);
    CHECK(reply.json().at("error").at("code") == -32021);
    CHECK(reply.json().at("error").at("data").at("requiredCapabilities").at("sampling").is_object());
  }
  SECTION("an unknown tool is the handler's error: 200") {
    auto reply = post(client, message(19, "tools/call", envelope({{"name", "no.such"}})),
                      modern_headers("tools/call", "no.such"));
    CHECK(reply.status == 200);
    CHECK(reply.json().at("id") == 19);
  }
  SECTION("a notification: 202, empty") {
    auto reply = client.post_raw(json::serialize(json::object{{"jsonrpc", "2.0"},
                                                              {"method", "notifications/cancelled"},
                                                              {"params", envelope({{"requestId", 1}})}}),
                                 modern_headers("notifications/cancelled"));
    CHECK(reply.status == 202);
    CHECK(reply.body.empty());
  }
  SECTION("GET and DELETE without a legacy session: 405") {
    CHECK(client.get("/mcp", {{"Accept", "text/event-stream"}}).status == 405);
    CHECK(client.del().status == 405);
  }
}

TEST_CASE("http: a modern stream has no event ids, and progress stays on it", "[e2e_http][modern]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  json::object params =
      envelope({{"name", "testkit.progress"}, {"arguments", {{"steps", 3}, {"delay_ms", 20}}}});
  params["_meta"].as_object()["progressToken"] = 5;
  auto reply =
      post(client, message(1, "tools/call", params), modern_headers("tools/call", "testkit.progress"));
  REQUIRE(reply.status == 200);
  REQUIRE(reply.is_sse());
  CHECK(reply.header("X-Accel-Buffering") == "no");
  const auto events = reply.events();
  REQUIRE(events.size() == 4);  // three progress notifications, then the result
  for (const auto& e : events) CHECK(e.id.empty());
  CHECK(json::parse(events.back().data).at("result").at("resultType") == "complete");
}

TEST_CASE("http: subscriptions/listen acknowledges, then carries tagged resource updates",
          "[e2e_http][modern][listen]") {
  McpdHttpServer server;
  McpHttpClient listener(server.base_url());
  McpHttpClient caller(server.base_url());
  std::vector<json::value> frames;
  std::mutex mutex;
  std::atomic<bool> acknowledged{false};
  std::thread listening([&] {
    listener.post_streaming(
        message("L", "subscriptions/listen",
                envelope({{"notifications",
                           {{"resourceSubscriptions", json::array{"mem://watched"}},
                            {"taskIds", json::array{"t"}}}}})),
        [&](const SseEvent& event) {
          std::lock_guard lock(mutex);
          frames.push_back(json::parse(event.data));
          acknowledged = true;
          return frames.size() < 2;  // the acknowledgement and one update, then hang up
        },
        modern_headers("subscriptions/listen"));
  });
  for (int i = 0; i < 500 && !acknowledged; ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(acknowledged);
  auto touch = [&](std::string uri) {
    return post(
        caller,
        message("t", "tools/call", envelope({{"name", "notifier.touch"}, {"arguments", {{"uri", uri}}}})),
        modern_headers("tools/call", "notifier.touch"));
  };
  CHECK(touch("mem://other").status == 200);  // not subscribed: nothing on the stream
  CHECK(touch("mem://watched").status == 200);
  listening.join();
  std::lock_guard lock(mutex);
  REQUIRE(frames.size() == 2);
  const auto& ack = frames[0].as_object();
  CHECK(ack.at("method") == "notifications/subscriptions/acknowledged");
  CHECK(ack.at("params").at("_meta").at("io.modelcontextprotocol/subscriptionId") == "L");
  // Only what is honoured is acknowledged: taskIds are not offered.
  CHECK(ack.at("params").at("notifications") ==
        json::object{{"resourceSubscriptions", json::array{"mem://watched"}}});
  const auto& update = frames[1].as_object();
  CHECK(update.at("method") == "notifications/resources/updated");
  CHECK(update.at("params").at("uri") == "mem://watched");
  CHECK(update.at("params").at("_meta").at("io.modelcontextprotocol/subscriptionId") == "L");
}

TEST_CASE("http: a listen stream ends with its result when the server shuts down",
          "[e2e_http][modern][listen]") {
  McpdHttpServer server;
  McpHttpClient listener(server.base_url());
  std::vector<json::value> frames;
  std::atomic<bool> acknowledged{false};
  std::thread listening([&] {
    listener.post_streaming(
        message(3, "subscriptions/listen", envelope({{"notifications", {{"toolsListChanged", true}}}})),
        [&](const SseEvent& event) {
          frames.push_back(json::parse(event.data));
          acknowledged = true;
          return true;
        },
        modern_headers("subscriptions/listen"));
  });
  for (int i = 0; i < 500 && !acknowledged; ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(acknowledged);
  const auto started = std::chrono::steady_clock::now();
  CHECK(server.terminate(10s) == 0);
  listening.join();
  // The stream did not hold the shutdown to its deadline.
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  REQUIRE(frames.size() == 2);
  const auto& last = frames.back().as_object();
  CHECK(last.at("id") == 3);
  CHECK(last.at("result").at("resultType") == "complete");
  CHECK(last.at("result").at("_meta").at("io.modelcontextprotocol/subscriptionId") == 3);
}

TEST_CASE("http: a plugin's nested tool call counts in /metrics like a client's",
          "[e2e_http][observability]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  auto reply =
      post(client,
           message(1, "tools/call",
                   envelope({{"name", "testkit.call_other"},
                             {"arguments", {{"name", "testkit.echo"}, {"arguments", {{"value", 5}}}}}})),
           modern_headers("tools/call", "testkit.call_other"));
  REQUIRE(reply.status == 200);
  CHECK(reply.response()
            .at("result")
            .at("structuredContent")
            .at("nested")
            .at("structuredContent")
            .at("value") == 5);
  std::string text;
  for (int attempt = 0; attempt < 50; ++attempt) {
    text = client.get("/metrics").body;
    if (text.find("mcpd_tool_calls_total{tool=\"testkit.call_other\",outcome=\"ok\"} 1\n") !=
        std::string::npos)
      break;
    std::this_thread::sleep_for(20ms);
  }
  CHECK(text.find("mcpd_tool_calls_total{tool=\"testkit.call_other\",outcome=\"ok\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("mcpd_tool_calls_total{tool=\"testkit.echo\",outcome=\"ok\"} 1\n") != std::string::npos);
}
