// /healthz and /metrics.
#include <catch2/catch.hpp>

#include <thread>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;

TEST_CASE("/healthz reports readiness and the loaded plugins with their versions",
          "[e2e_http][observability]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  auto health = client.get("/healthz");
  REQUIRE(health.status == 200);
  auto doc = health.json().as_object();
  CHECK(doc.at("status") == json::value("ok"));
  CHECK(doc.at("ready") == json::value(true));
  bool hello = false, testkit = false;
  for (const auto& plugin : doc.at("plugins").as_array()) {
    hello |= plugin.at("namespace") == json::value("hello") && plugin.at("version") == json::value("1.0.0");
    testkit |= plugin.at("namespace") == json::value("testkit");
  }
  CHECK(hello);
  CHECK(testkit);
}

TEST_CASE("/metrics exposes requests, tool calls, latency, sessions and plugins",
          "[e2e_http][observability]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  client.initialize();
  client.call_tool("testkit.echo", {{"value", 1}});
  client.call_tool("testkit.echo", {{"value", 2}});
  client.call_tool("testkit.fail", {});
  client.call_tool("no.such_tool", {});

  // A request is counted once its response is written, which may be just
  // after the client read it: look again briefly until the last one shows.
  Reply reply;
  for (int attempt = 0; attempt < 50; ++attempt) {
    reply = client.get("/metrics");
    REQUIRE(reply.status == 200);
    if (reply.body.find("mcpd_http_requests_total{method=\"POST\",status=\"200\"} 5\n") != std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(reply.header("Content-Type").rfind("text/plain", 0) == 0);
  const std::string& text = reply.body;
  for (const std::string line : {
           "mcpd_tool_calls_total{tool=\"testkit.echo\",outcome=\"ok\"} 2",
           "mcpd_tool_calls_total{tool=\"testkit.fail\",outcome=\"error\"} 1",
           "mcpd_tool_calls_total{tool=\"<unknown>\",outcome=\"rpc_error\"} 1",
           "mcpd_tool_call_duration_seconds_count{tool=\"testkit.echo\"} 2",
           "mcpd_tool_call_duration_seconds_bucket{tool=\"testkit.echo\",le=\"+Inf\"} 2",
           "# TYPE mcpd_tool_call_duration_seconds histogram",
           "mcpd_sessions 1",
           "mcpd_plugin_info{namespace=\"hello\",version=\"1.0.0\"} 1",
           "mcpd_plugin_info{namespace=\"testkit\",version=\"1.0.0\"} 1",
           "mcpd_http_requests_total{method=\"POST\",status=\"202\"} 1",
       }) {
    INFO(line);
    CHECK(text.find(line + "\n") != std::string::npos);
  }
  CHECK(text.find("mcpd_http_requests_total{method=\"POST\",status=\"200\"} 5") != std::string::npos);
}
