// serve --http runs calls on the same worker pool as stdio: a tool that never
// returns and ignores cancellation (faulty/hangs.so) gets the call deadline
// error, shows as unhealthy in /healthz and /metrics, and SIGTERM still ends
// mcpd within server.shutdown_timeout_ms.
#include <catch2/catch.hpp>

#include <csignal>
#include <future>
#include <iostream>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

constexpr auto kGrace = 2000ms;
// How late after the grace period an exit may come on a loaded 2-core machine.
constexpr auto kExitSlack = 4000ms;

ServerOptions stuck_call_options(std::int64_t call_timeout_ms) {
  ServerOptions options;
  options.server = json::object{{"worker_threads", 4},
                                {"call_timeout_ms", call_timeout_ms},
                                {"max_abandoned_workers", 4},
                                {"shutdown_timeout_ms", kGrace.count()}};
  options.plugins = {MCPD_HTTP_TEST_HANGS_PLUGIN};
  return options;
}

std::vector<std::future<Reply>> start_stuck_calls(McpdHttpServer& server, const std::string& session,
                                                  int count) {
  std::vector<std::future<Reply>> calls;
  for (int i = 0; i < count; ++i)
    calls.push_back(std::async(std::launch::async, [&server, session] {
      McpHttpClient caller(server.base_url());
      caller.use_session(session);
      return caller.post(
          caller.make_request("tools/call", {{"name", "hangs.forever"}, {"arguments", json::object{}}}));
    }));
  return calls;
}

}  // namespace

TEST_CASE("over HTTP, stuck calls get the deadline error and /healthz and /metrics show the plugin unhealthy",
          "[e2e_http][faults]") {
  McpdHttpServer server(stuck_call_options(1000));
  McpHttpClient client(server.base_url());
  client.initialize();
  auto calls = start_stuck_calls(server, client.session_id(), 4);
  for (auto& call : calls) {
    REQUIRE(call.wait_for(10s) == std::future_status::ready);
    const auto reply = call.get();
    INFO(reply.body);
    REQUIRE(reply.status == 200);
    CHECK(reply.response().at("error").at("code") == json::value(-32001));
  }
  // Replacement workers serve the other plugins.
  CHECK(client.call_tool("testkit.echo", {{"value", "x"}}).at("result").at("structuredContent").at("value") ==
        "x");

  const auto health = client.get("/healthz");
  REQUIRE(health.status == 200);
  const auto doc = health.json().as_object();
  CHECK(doc.at("unhealthy_plugins") == json::array{"hangs"});
  for (const auto& plugin : doc.at("plugins").as_array()) {
    const bool hangs = plugin.at("namespace") == json::value("hangs");
    CHECK(plugin.at("health") == json::value(hangs ? "unhealthy" : "ok"));
    CHECK(plugin.at("stuck_calls") == json::value(hangs ? 4 : 0));
  }
  const auto metrics = client.get("/metrics");
  CHECK_THAT(
      metrics.body,
      Catch::Contains("mcpd_plugin_stuck_calls{namespace=\"hangs\",version=\"1.0.0\",state=\"serving\"} 4") &&
          Catch::Contains("mcpd_tool_calls_total{tool=\"hangs.forever\",outcome=\"timeout\"} 4"));
}

TEST_CASE("SIGTERM while HTTP calls are stuck: exit 0 within the grace period", "[e2e_http][faults]") {
  McpdHttpServer server(stuck_call_options(0));
  McpHttpClient client(server.base_url());
  client.initialize();
  auto calls = start_stuck_calls(server, client.session_id(), 4);
  // The calls are inside the plugin once /metrics counts them in flight.
  bool running = false;
  for (int attempt = 0; attempt < 250 && !running; ++attempt) {
    running = client.get("/metrics")
                  .body.find(
                      "mcpd_plugin_calls_in_flight{namespace=\"hangs\",version=\"1.0.0\","
                      "state=\"serving\"} 4") != std::string::npos;
    if (!running) std::this_thread::sleep_for(20ms);
  }
  REQUIRE(running);
  const auto sent_at = std::chrono::steady_clock::now();
  ::kill(server.process().pid(), SIGTERM);
  const auto code = server.process().wait_exit(kGrace + kExitSlack);
  const auto took =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sent_at);
  INFO(server.process().stderr_text());
  REQUIRE(code.has_value());
  CHECK(*code == 0);
  std::cout << "serve --http: exit after SIGTERM with 4 stuck calls: " << took.count() << " ms (grace "
            << kGrace.count() << " ms)\n";
  CHECK_THAT(server.process().stderr_text(), Catch::Contains("stuck_workers=4"));
  // Every stuck request ended one way or another (an error, or the connection closed).
  for (auto& call : calls) CHECK(call.wait_for(5s) == std::future_status::ready);
}
