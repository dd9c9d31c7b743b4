// Every limit breach is a metric (M8, "each breach a clear error and a metric"): /metrics lists
// mcpd_limit_breaches_total{limit="<setting>"} for every limit, at 0 from the start, and each breach, at the
// HTTP door or in the protocol (over HTTP or the stdio served beside it), adds one to its own line.
#include <catch2/catch.hpp>

#include <fstream>
#include <future>
#include <map>
#include <thread>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"
#include "raw_connection.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

const std::vector<std::string> kLimits = {
    "http.max_body_bytes",
    "http.body_timeout_ms",
    "http.max_header_bytes",
    "http.header_timeout_ms",
    "http.max_connections_per_client",
    "http.max_sessions",
    "http.max_sessions_per_client",
    "http.max_calls_per_session",
    "server.max_message_bytes",
    "json_depth",
    "server.max_subscriptions_per_session",
    "server.max_subscription_uri_bytes",
    "server.call_timeout_ms",
    "server.max_abandoned_workers",
};

// The value of mcpd_limit_breaches_total{limit="<limit>"}; -1 when the line is missing.
long breaches(McpHttpClient& client, const std::string& limit) {
  const auto metrics = client.get("/metrics").body;
  const std::string prefix = "mcpd_limit_breaches_total{limit=\"" + limit + "\"} ";
  const auto at = metrics.find(prefix);
  if (at == std::string::npos) return -1;
  return std::stol(metrics.substr(at + prefix.size()));
}

bool wait_for_marker(const std::filesystem::path& path, std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  while (Clock::now() < until) {
    std::ifstream in(path);
    std::string text;
    if (std::getline(in, text) && text == "started") return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

std::string post_head(const std::string& extra_headers) {
  return "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Accept: application/json, text/event-stream\r\n" +
         extra_headers + "\r\n";
}

}  // namespace

TEST_CASE("every limit breach counts in mcpd_limit_breaches_total under its setting",
          "[e2e_http][limits][metrics]") {
  ServerOptions options;
  options.with_stdio = true;
  options.plugins = {MCPD_HTTP_TEST_HANGS_PLUGIN};
  options.http =
      json::object{{"max_body_bytes", 4096},    {"max_header_bytes", 2048},        {"header_timeout_ms", 300},
                   {"body_timeout_ms", 300},    {"max_connections_per_client", 8}, {"max_sessions", 3},
                   {"max_calls_per_session", 1}};
  options.server = json::object{{"max_message_bytes", 4096},
                                {"max_subscriptions_per_session", 1},
                                {"max_subscription_uri_bytes", 64},
                                {"call_timeout_ms", 500},
                                {"max_abandoned_workers", 1}};
  McpdHttpServer server(options);
  McpHttpClient client(server.base_url());
  client.initialize();
  for (const auto& limit : kLimits) {
    INFO(limit);
    CHECK(breaches(client, limit) == 0);
  }
  // Each breach below adds one to its own line and to no other.
  std::map<std::string, long> expected;
  for (const auto& limit : kLimits) expected[limit] = 0;
  const auto breached = [&](const std::string& limit) {
    ++expected[limit];
    for (const auto& [name, count] : expected) {
      INFO("after a breach of " << limit << ": " << name);
      CHECK(breaches(client, name) == count);
    }
  };

  SECTION("at the HTTP door") {
    // Three sessions, all younger than the eviction grace (so none may be evicted): a fourth is refused.
    McpHttpClient second(server.base_url()), third(server.base_url()), fourth(server.base_url());
    second.initialize();
    third.initialize();
    const auto refused = fourth.post(
        fourth.make_request("initialize", {{"protocolVersion", "2025-11-25"},
                                           {"capabilities", json::object{}},
                                           {"clientInfo", {{"name", "fourth"}, {"version", "1"}}}}));
    CHECK(refused.status == 503);
    breached("http.max_sessions");

    CHECK(client.post_raw(std::string(5000, ' '), {{"Content-Type", "application/json"}}).status == 413);
    breached("http.max_body_bytes");

    {
      RawConnection connection(server.port());
      REQUIRE(connection.send(post_head("Transfer-Encoding: chunked\r\n")));
      std::string head;
      const auto started = Clock::now();
      while (head.empty() && Clock::now() - started < 10s) {
        if (!connection.send("1\r\n \r\n", 1000ms)) break;
        head = connection.read_head(50ms);
      }
      CHECK(RawConnection::status_of(connection.read_head(5000ms, head)) == 408);
    }
    breached("http.body_timeout_ms");

    {
      RawConnection connection(server.port());
      REQUIRE(connection.send(
          post_head("X-Padding: " + std::string(3000, 'p') + "\r\nContent-Length: 2\r\n") + "{}"));
      CHECK(RawConnection::status_of(connection.read_head(5000ms)) == 431);
    }
    breached("http.max_header_bytes");

    {
      RawConnection connection(server.port());
      REQUIRE(connection.send("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
      CHECK(RawConnection::status_of(connection.read_head(5000ms)) == 408);
    }
    breached("http.header_timeout_ms");

    {
      // Kept-alive connections until one is refused (the clients above may hold some of the 8 already).
      std::vector<std::unique_ptr<RawConnection>> held;
      int status = 200;
      while (status == 200 && held.size() < 16) {
        held.push_back(std::make_unique<RawConnection>(server.port()));
        held.back()->send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        status = RawConnection::status_of(held.back()->read_head(5000ms));
      }
      CHECK(status == 503);
    }
    std::this_thread::sleep_for(300ms);  // the held connections are gone: /metrics gets through again
    breached("http.max_connections_per_client");

    const auto marker = server.work_dir() / "slow";
    auto slow = std::async(std::launch::async, [&] {
      McpHttpClient caller(server.base_url());
      caller.use_session(client.session_id());
      return caller.post(caller.make_request(
          "tools/call",
          {{"name", "testkit.slow"}, {"arguments", {{"ms", 400}, {"cancel_marker", marker.string()}}}}));
    });
    REQUIRE(wait_for_marker(marker, 5000ms));
    CHECK(client
              .post(client.make_request("tools/call",
                                        {{"name", "hello.greet"}, {"arguments", {{"name", "x"}}}}))
              .status == 429);
    CHECK(slow.get().status == 200);
    breached("http.max_calls_per_session");

    std::string nested = R"({"jsonrpc":"2.0","id":5,"method":"ping","params":{"deep":)";
    for (int i = 0; i < 100; ++i) nested += "[";
    for (int i = 0; i < 100; ++i) nested += "]";
    nested += "}}";
    CHECK(client
              .post_raw(nested, {{"Content-Type", "application/json"},
                                 {"Accept", "application/json, text/event-stream"},
                                 {"Mcp-Session-Id", client.session_id()},
                                 {"MCP-Protocol-Version", "2025-11-25"}})
              .status == 400);
    breached("json_depth");
  }

  SECTION("in the protocol") {
    CHECK_FALSE(client.request("resources/subscribe", {{"uri", "mem://one"}}).contains("error"));
    CHECK(client.request("resources/subscribe", {{"uri", "mem://two"}}).contains("error"));
    breached("server.max_subscriptions_per_session");
    CHECK(
        client.request("resources/subscribe", {{"uri", "mem://" + std::string(100, 'x')}}).contains("error"));
    breached("server.max_subscription_uri_bytes");

    // A stuck call passes its deadline; its worker is replaced, the only replacement allowed.
    const auto stuck = client.call_tool("hangs.forever", json::object{});
    CHECK(stuck.at("error").at("code") == json::value(-32001));
    breached("server.call_timeout_ms");
    const auto refused = client.call_tool("hangs.ok", json::object{});
    CHECK(refused.at("error").at("code") == json::value(-32003));
    breached("server.max_abandoned_workers");

    // stdio beside HTTP: a line longer than server.max_message_bytes.
    server.process().write_line(std::string(5000, ' '));
    const auto line = server.process().read_line(5000ms);
    REQUIRE(line.has_value());
    CHECK(line->find("server.max_message_bytes") != std::string::npos);
    breached("server.max_message_bytes");
  }
}
