// Connections have deadlines and are shared fairly (defect M8/5: connections
// dribbling their headers held the HTTP threads for ever and well-behaved
// clients timed out; a client that hung up kept its call running). Plain
// HTTP: mcpd runs the connection loop itself (GuardedServer).
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "fault_latency.hpp"
#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"
#include "raw_connection.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

std::string marker_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  return text;
}

bool wait_for_marker(const std::filesystem::path& path, const std::string& text,
                     std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  while (Clock::now() < until) {
    if (marker_text(path) == text) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

auto pinger(McpHttpClient& client) {
  return [&client] { REQUIRE(client.post(client.make_request("ping")).status == 200); };
}

}  // namespace

TEST_CASE("connections dribbling their headers get 408 at http.header_timeout_ms and starve nobody",
          "[e2e_http][limits][connections]") {
  ServerOptions options;
  options.http["threads"] = 8;
  options.http["header_timeout_ms"] = 1000;
  options.http["max_connections_per_client"] = 1000;
  McpdHttpServer server(options);

  // Three times as many slow clients as threads, each sending a header line every 300 ms.
  constexpr int kSlow = 24;
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < kSlow; ++i) {
    slow.push_back(std::make_unique<RawConnection>(server.port()));
    slow.back()->send("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  }
  std::atomic<bool> stop{false};
  std::thread dribbler([&] {
    const auto until = Clock::now() + 20s;
    while (!stop && Clock::now() < until) {
      for (auto& connection : slow) connection->send("X-Slow: 1\r\n", 50ms);
      std::this_thread::sleep_for(300ms);
    }
  });

  const auto started = Clock::now();
  McpHttpClient client(server.base_url());
  std::string session;
  CHECK_NOTHROW(session = client.initialize());
  const auto latency = Clock::now() - started;
  stop = true;
  dribbler.join();
  INFO("well-behaved initialize took "
       << std::chrono::duration_cast<std::chrono::milliseconds>(latency).count() << " ms");
  CHECK(!session.empty());
  CHECK(latency < 10s);  // without the header deadline it never got a thread

  int timed_out = 0;
  for (auto& connection : slow)
    if (RawConnection::status_of(connection->read_head(2000ms)) == 408) ++timed_out;
  CHECK(timed_out == kSlow);
  CHECK(client.get("/metrics").body.find("mcpd_http_refusals_total{reason=\"header_timeout\"}") !=
        std::string::npos);
}

TEST_CASE("100 connections dribbling their headers (slowloris) do not slow a well-behaved client down",
          "[e2e_http][limits][connections][faults]") {
  McpdHttpServer server;  // the defaults: 256 HTTP threads, 128 connections per address, 10 s for headers
  McpHttpClient client(server.base_url());
  client.initialize();
  const auto idle = mcpd_test::median_latency(pinger(client));

  constexpr int kSlow = 100;
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < kSlow; ++i) {
    slow.push_back(std::make_unique<RawConnection>(server.port()));
    REQUIRE(slow.back()->send("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  }
  std::atomic<bool> stop{false};
  std::thread dribbler([&] {
    while (!stop) {
      for (auto& connection : slow) connection->send("X-Slow: 1\r\n", 50ms);
      std::this_thread::sleep_for(300ms);
    }
  });
  const auto figures = mcpd_test::measure_under_fault("slowloris: 100 connections dribbling their headers",
                                                      idle, pinger(client));
  // The fault lasted the whole measurement: no slow connection got an answer yet.
  int answered = 0;
  for (auto& connection : slow) answered += !connection->read_head(0ms).empty();
  stop = true;
  dribbler.join();
  INFO(figures);
  CHECK(figures.within_bound());
  CHECK(answered == 0);
}

TEST_CASE("one address may hold at most http.max_connections_per_client connections",
          "[e2e_http][limits][connections]") {
  ServerOptions options;
  options.http["max_connections_per_client"] = 4;
  McpdHttpServer server(options);
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<RawConnection>(server.port()));
    held.back()->send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    REQUIRE(RawConnection::status_of(held.back()->read_head(5000ms)) == 200);  // kept alive
  }
  RawConnection fifth(server.port());
  fifth.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  const std::string head = fifth.read_head(5000ms);
  INFO(head);
  CHECK(RawConnection::status_of(head) == 503);
  CHECK(head.find("http.max_connections_per_client") != std::string::npos);

  held.clear();
  std::this_thread::sleep_for(300ms);
  McpHttpClient client(server.base_url());
  CHECK(client.get("/healthz").status == 200);
}

TEST_CASE("a client that disconnects during a call has the call cancelled", "[e2e_http][connections]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  const std::string session = client.initialize();
  const auto idle = mcpd_test::median_latency(pinger(client));
  const auto marker = server.work_dir() / "slow-call";
  const std::string body = json::serialize(json::object{
      {"jsonrpc", "2.0"},
      {"id", 7},
      {"method", "tools/call"},
      {"params",
       {{"name", "testkit.slow"}, {"arguments", {{"ms", 60000}, {"cancel_marker", marker.string()}}}}}});
  {
    RawConnection connection(server.port());
    REQUIRE(connection.send(
        "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Accept: application/json, text/event-stream\r\nMcp-Session-Id: " +
        session + "\r\nMCP-Protocol-Version: 2025-11-25\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body));
    REQUIRE(wait_for_marker(marker, "started", 10000ms));
  }  // hangs up
  const auto hung_up = Clock::now();
  // While mcpd notices (within about a second) and cancels the call, another client is served as fast as
  // before.
  const auto figures =
      mcpd_test::measure_under_fault("a client disconnecting during its call", idle, pinger(client));
  const bool measured_before_cancel = marker_text(marker) == "started";
  CHECK(wait_for_marker(marker, "cancelled", 10000ms));  // the call would have run for 60 s
  INFO("cancelled after "
       << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - hung_up).count() << " ms");
  INFO(figures);
  CHECK(figures.within_bound());
  CHECK(measured_before_cancel);
  CHECK(client.post(client.make_request("ping")).status == 200);
}
