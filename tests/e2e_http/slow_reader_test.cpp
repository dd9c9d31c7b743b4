// Clients that never read what they asked for (M8 fault tests): eight connections each ask for a 2 MiB
// answer and do not read it. The kernel's buffers fill and mcpd's writes wait (for at most the 5 s write
// deadline). Meanwhile memory stays bounded, a well-behaved client's ping latency stays within three times
// its idle latency, and every one of those connections ends.
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "fault_latency.hpp"
#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"
#include "raw_connection.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

auto pinger(McpHttpClient& client) {
  return [&client] { REQUIRE(client.post(client.make_request("ping")).status == 200); };
}

}  // namespace

TEST_CASE("clients that do not read their answers starve nobody and hold bounded memory",
          "[e2e_http][limits][faults]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  const std::string session = client.initialize();
  const auto idle = mcpd_test::median_latency(pinger(client));
  const long rss_before = resident_kib_at_rest(server.process().pid());

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
  // The answers are made (parsing, validating and writing 8 x 2 MiB takes a while under the sanitizers) and
  // stuck in full buffers once the server has nothing left to do but wait.
  REQUIRE(wait_until_quiet(server.process().pid(), 30000ms));
  const auto stuck =
      mcpd_test::measure_under_fault("8 clients never reading their 2 MiB answers", idle, pinger(client));
  INFO(stuck);
  CHECK(stuck.within_bound());

  // Each stuck answer is 4 MiB or more (the value twice: text and structuredContent), 32 MiB in all;
  // mcpd holds no more than the answers being written while it waits.
  const long rss_stuck = resident_kib(server.process().pid());
  INFO("RSS before " << rss_before << " KiB, with stuck readers " << rss_stuck << " KiB");
  CHECK(rss_stuck - rss_before < rss_growth_bound_kib(96 * 1024));

  // Every one of those connections ends (whether mcpd gave it up at the write deadline or finished writing
  // once the reads below drained it), and the server still answers promptly.
  for (auto& reader : readers) CHECK(reader->wait_closed(20000ms));
  const auto after =
      mcpd_test::measure_under_fault("after 8 clients never read their answers", idle, pinger(client));
  INFO(after);
  CHECK(after.within_bound());
}

TEST_CASE("subscription streams nobody reads hold bounded memory and starve nobody",
          "[e2e_http][limits][faults]") {
  // Every update below is a request of its own, on a new connection, so each may land on another of the
  // HTTP threads. Under AddressSanitizer each thread that allocates keeps a cache of its allocator's
  // chunks (about 0.6 MiB here), which across the default 256 threads is 150 MiB that has nothing to do
  // with the streams. 16 threads keep that artefact out of the measurement (the streams hold one each).
  ServerOptions options;
  options.http["threads"] = 16;
  McpdHttpServer server(options);
  McpHttpClient client(server.base_url());
  const std::string session = client.initialize();
  const auto idle = mcpd_test::median_latency(pinger(client));
  const long rss_before = resident_kib_at_rest(server.process().pid());

  // A 4 KiB URI, so that every notification is about 4 KiB.
  const std::string uri = "mem://" + std::string(4000, 'u');
  REQUIRE_FALSE(client.request("resources/subscribe", {{"uri", uri}}).contains("error"));
  // The session's GET stream (where resources/updated goes) and a 2026-07-28 listen stream, neither read.
  RawConnection legacy_stream(server.port());
  REQUIRE(legacy_stream.send(
      "GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nMcp-Session-Id: " + session +
      "\r\nMCP-Protocol-Version: 2025-11-25\r\n\r\n"));
  const std::string listen = json::serialize(
      json::object{{"jsonrpc", "2.0"},
                   {"id", "unread"},
                   {"method", "subscriptions/listen"},
                   {"params",
                    {{"_meta",
                      {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                       {"io.modelcontextprotocol/clientCapabilities", json::object{}}}},
                     {"notifications", {{"resourceSubscriptions", json::array{json::value(uri)}}}}}}});
  RawConnection modern_stream(server.port());
  REQUIRE(modern_stream.send(
      "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: "
      "text/event-stream\r\n"
      "MCP-Protocol-Version: 2026-07-28\r\nMcp-Method: subscriptions/listen\r\nContent-Length: " +
      std::to_string(listen.size()) + "\r\n\r\n" + listen));
  std::this_thread::sleep_for(300ms);  // both streams open

  // 3,000 updates: about 12 MiB for each stream, far more than the socket buffers hold.
  for (int i = 0; i < 3000; ++i)
    REQUIRE(client.call_tool("notifier.touch", {{"uri", uri}}).contains("result"));
  REQUIRE(wait_until_quiet(server.process().pid(), 30000ms));
  const auto stuck = mcpd_test::measure_under_fault(
      "2 subscription streams never read, 3,000 updates of 4 KiB", idle, pinger(client));
  INFO(stuck);
  CHECK(stuck.within_bound());
  // What is held for them is the streams' bounded buffers (http.sse_replay_events for the session's stream;
  // what the socket refuses for the listen), not the 24 MiB that was sent.
  const long rss_stuck = resident_kib(server.process().pid());
  INFO("RSS before " << rss_before << " KiB, with unread streams " << rss_stuck << " KiB");
  CHECK(rss_stuck - rss_before < rss_growth_bound_kib(32 * 1024));
}
