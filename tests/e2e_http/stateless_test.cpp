// Stateless mode (http.stateless or MCPD_HTTP_STATELESS): no sessions, every
// POST stands alone, GET and DELETE are answered 405 with Allow.
#include <catch2/catch.hpp>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;

namespace {

json::object initialize_params() {
  return json::object{{"protocolVersion", "2025-11-25"},
                      {"capabilities", json::object{}},
                      {"clientInfo", {{"name", "t"}, {"version", "1"}}}};
}

void check_stateless(McpdHttpServer& server) {
  McpHttpClient client(server.base_url());
  auto init = client.post(client.make_request("initialize", initialize_params()));
  REQUIRE(init.status == 200);
  CHECK(init.header("Mcp-Session-Id").empty());
  CHECK(init.response().at("result").at("protocolVersion") == json::value("2025-11-25"));

  // No session: each call stands alone.
  auto greet = client.post(
      client.make_request("tools/call", {{"name", "hello.greet"}, {"arguments", {{"name", "s"}}}}));
  REQUIRE(greet.status == 200);
  CHECK(greet.response().at("result").at("content").at(0).at("text") == json::value("Hello, s!"));

  // A call with progress still streams, without a priming event (nothing to resume).
  auto progress = client.post(client.make_request(
      "tools/call",
      {{"name", "testkit.progress"}, {"arguments", {{"steps", 2}}}, {"_meta", {{"progressToken", "p"}}}}));
  REQUIRE(progress.status == 200);
  REQUIRE(progress.is_sse());
  auto events = progress.events();
  REQUIRE(events.size() == 3);
  CHECK(events.front().has_data);
  CHECK_FALSE(events.front().data.empty());
  CHECK(progress.response().at("result").at("content").at(0).at("text") == json::value("reported 2 steps"));

  // The version header picks the revision each request speaks.
  auto old = client.post(client.make_request("tools/list"), {{"MCP-Protocol-Version", "2024-11-05"}});
  CHECK(old.status == 200);
  CHECK(client.post(client.make_request("tools/list"), {{"MCP-Protocol-Version", "nope"}}).status == 400);

  auto get = client.get("/mcp", {{"Accept", "text/event-stream"}});
  CHECK(get.status == 405);
  CHECK(get.header("Allow").find("POST") != std::string::npos);
  auto del = client.del();
  CHECK(del.status == 405);
  CHECK(client.post(json::object{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}).status == 202);
}

}  // namespace

TEST_CASE("stateless mode from the config file", "[e2e_http][stateless]") {
  ServerOptions options;
  options.http["stateless"] = true;
  McpdHttpServer server(options);
  CHECK(server.process().stderr_text().find("mode=stateless") != std::string::npos);
  check_stateless(server);
}

TEST_CASE("stateless mode from MCPD_HTTP_STATELESS", "[e2e_http][stateless]") {
  ServerOptions options;
  options.environment = {"MCPD_HTTP_STATELESS=true"};
  McpdHttpServer server(options);
  check_stateless(server);
}
