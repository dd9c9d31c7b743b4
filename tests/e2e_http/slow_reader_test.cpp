// Clients that never read what they asked for (M8 fault tests): eight connections each ask for a 2 MiB
// answer and do not read it. The kernel's buffers fill and mcpd's writes wait (for at most the 5 s write
// deadline). Meanwhile memory stays bounded, a well-behaved client's ping latency stays within three times
// its idle latency, and every one of those connections ends.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <vector>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"
#include "raw_connection.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// Median round trip of `count` pings, in microseconds.
long median_ping_us(McpHttpClient& client, int count) {
  std::vector<long> samples;
  for (int i = 0; i < count; ++i) {
    const auto started = Clock::now();
    const auto reply = client.post(client.make_request("ping"));
    samples.push_back(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count());
    REQUIRE(reply.status == 200);
  }
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

}  // namespace

TEST_CASE("clients that do not read their answers starve nobody and hold bounded memory",
          "[e2e_http][limits][faults]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  const std::string session = client.initialize();
  const long idle_us = median_ping_us(client, 50);
  const long rss_before = resident_kib(server.process().pid());

  const std::string body = json::serialize(json::object{
      {"jsonrpc", "2.0"},
      {"id", 1},
      {"method", "tools/call"},
      {"params", {{"name", "testkit.echo"}, {"arguments", {{"value", std::string(2 << 20, 'x')}}}}}});
  std::vector<std::unique_ptr<RawConnection>> readers;
  for (int i = 0; i < 8; ++i) {
    readers.push_back(std::make_unique<RawConnection>(server.port()));
    REQUIRE(
        readers.back()->send("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             "Accept: application/json, text/event-stream\r\nMcp-Session-Id: " +
                                 session + "\r\nMCP-Protocol-Version: 2025-11-25\r\nContent-Length: " +
                                 std::to_string(body.size()) + "\r\n\r\n" + body,
                             10000ms));
  }
  std::this_thread::sleep_for(500ms);  // the answers are written and stuck in full buffers now
  const long stuck_us = median_ping_us(client, 50);
  INFO("ping median idle " << idle_us << " us, with 8 stuck readers " << stuck_us << " us");
  CHECK(stuck_us <= 3 * idle_us + 20'000);  // + 20 ms: scheduling noise on a loaded 2-core machine

  // Each stuck answer is 4 MiB or more (the value twice: text and structuredContent), 32 MiB in all;
  // mcpd holds no more than the answers being written while it waits.
  const long rss_stuck = resident_kib(server.process().pid());
  INFO("RSS before " << rss_before << " KiB, with stuck readers " << rss_stuck << " KiB");
  CHECK(rss_stuck - rss_before < rss_growth_bound_kib(96 * 1024));

  // Every one of those connections ends (whether mcpd gave it up at the write deadline or finished writing
  // once the reads below drained it), and the server still answers promptly.
  for (auto& reader : readers) CHECK(reader->wait_closed(20000ms));
  CHECK(median_ping_us(client, 20) <= 3 * idle_us + 20'000);
}
