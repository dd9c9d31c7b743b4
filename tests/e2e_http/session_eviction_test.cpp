// Abandoned sessions do not lock new clients out (defect M8/5: 10,000 of
// them gave every new client 503 for the 30-minute idle timeout). A new
// session takes the place of the least recently used idle session, first
// among its own address's (http.max_sessions_per_client), then among all
// (http.max_sessions).
#include <catch2/catch.hpp>

#include <thread>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"
#include "raw_connection.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

json::object initialize_request() {
  return json::object{{"jsonrpc", "2.0"},
                      {"id", 1},
                      {"method", "initialize"},
                      {"params",
                       {{"protocolVersion", "2025-11-25"},
                        {"capabilities", json::object{}},
                        {"clientInfo", {{"name", "abandoning"}, {"version", "1"}}}}}};
}

std::size_t live_sessions(McpHttpClient& client) {
  auto health = client.get("/healthz");
  return json::value_to<std::size_t>(health.json().at("sessions"));
}

}  // namespace

TEST_CASE("abandoned sessions do not lock new clients out", "[e2e_http][limits][sessions]") {
  ServerOptions options;
  options.http["max_sessions"] = 200;
  options.http["max_sessions_per_client"] = 50;
  McpdHttpServer server(options);
  const long rss_before = resident_kib_at_rest(server.process().pid());

  // 2,000 sessions opened and never used again (bounded in time as well).
  McpHttpClient abandoning(server.base_url());
  int created = 0, refused = 0;
  const auto until = Clock::now() + 60s;
  for (int i = 0; i < 2000 && Clock::now() < until; ++i) {
    const auto reply = abandoning.post(initialize_request());
    if (reply.status == 200) ++created;
    if (reply.status == 503) ++refused;
  }
  INFO(created << " sessions created, " << refused << " refused while younger than the eviction grace");
  CHECK(created >= 50);
  std::this_thread::sleep_for(1200ms);  // the eviction grace

  McpHttpClient newcomer(server.base_url());
  CHECK_NOTHROW(newcomer.initialize());
  CHECK(newcomer.call_tool("hello.greet", {{"name", "late"}}).contains("result"));
  CHECK(live_sessions(newcomer) <= 50);
  const auto metrics = newcomer.get("/metrics").body;
  CHECK(metrics.find("mcpd_http_sessions_evicted_total 0") == std::string::npos);
  const long rss_after = resident_kib(server.process().pid());
  INFO("RSS before " << rss_before << " KiB, after " << rss_after << " KiB");
  CHECK(rss_after - rss_before < rss_growth_bound_kib(64 * 1024));
}

TEST_CASE("the least recently used idle session is evicted, and its next request gets 404",
          "[e2e_http][limits][sessions]") {
  ServerOptions options;
  options.http["max_sessions"] = 2;
  McpdHttpServer server(options);
  McpHttpClient oldest(server.base_url());
  oldest.initialize();
  McpHttpClient recent(server.base_url());
  recent.initialize();
  std::this_thread::sleep_for(1200ms);
  CHECK(recent.post(recent.make_request("ping")).status == 200);  // recent is now the more recently used

  McpHttpClient newcomer(server.base_url());
  CHECK_NOTHROW(newcomer.initialize());
  CHECK(oldest.post(oldest.make_request("ping")).status == 404);
  CHECK(recent.post(recent.make_request("ping")).status == 200);
}
