// resources/subscribe is bounded (defect M8/5: 300 subscriptions of 1 MiB
// URIs took the server from 12 to 334 MB, and 289 MB stayed after the session
// was deleted): at most server.max_subscriptions_per_session URIs of at most
// server.max_subscription_uri_bytes each, refused with an error naming the setting.
#include <catch2/catch.hpp>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"
#include "raw_connection.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

std::string error_message(const json::object& response) {
  return json::value_to<std::string>(response.at("error").at("message"));
}

}  // namespace

TEST_CASE("a subscription URI longer than the limit is refused naming the setting",
          "[e2e_http][limits][subscriptions]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  client.initialize();
  const long rss_before = resident_kib_at_rest(server.process().pid());
  // Kept, 200 such URIs would take 200 MiB; refused, only the passing
  // request buffers show (tens of MiB, spread over the allocator arenas of the HTTP threads).
  for (int i = 0; i < 200; ++i) {
    auto response = client.request("resources/subscribe",
                                   {{"uri", "mem://" + std::to_string(i) + std::string(1 << 20, 'x')}});
    REQUIRE(response.contains("error"));
    CHECK(error_message(response).find("server.max_subscription_uri_bytes") != std::string::npos);
  }
  CHECK(resident_kib(server.process().pid()) - rss_before < rss_growth_bound_kib(100 * 1024));
  CHECK_FALSE(client.request("resources/subscribe", {{"uri", "mem://short"}}).contains("error"));
}

TEST_CASE("a session may watch at most server.max_subscriptions_per_session resources",
          "[e2e_http][limits][subscriptions]") {
  ServerOptions options;
  options.server["max_subscriptions_per_session"] = 3;
  McpdHttpServer server(options);
  McpHttpClient client(server.base_url());
  client.initialize();
  for (int i = 0; i < 3; ++i)
    CHECK_FALSE(
        client.request("resources/subscribe", {{"uri", "mem://" + std::to_string(i)}}).contains("error"));
  // The same URI again is not a new subscription.
  CHECK_FALSE(client.request("resources/subscribe", {{"uri", "mem://0"}}).contains("error"));
  auto refused = client.request("resources/subscribe", {{"uri", "mem://3"}});
  REQUIRE(refused.contains("error"));
  CHECK(error_message(refused).find("server.max_subscriptions_per_session") != std::string::npos);
  // Unsubscribing makes room.
  CHECK_FALSE(client.request("resources/unsubscribe", {{"uri", "mem://1"}}).contains("error"));
  CHECK_FALSE(client.request("resources/subscribe", {{"uri", "mem://3"}}).contains("error"));
}
