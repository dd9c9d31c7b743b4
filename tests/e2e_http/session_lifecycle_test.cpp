// Sessions of the Streamable HTTP transport: issued by initialize, required
// afterwards, ended by DELETE or by idleness.
#include <catch2/catch.hpp>

#include <cctype>
#include <thread>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

bool is_lower_hex(const std::string& text) {
  for (char c : text)
    if (!std::isxdigit(static_cast<unsigned char>(c)) || std::isupper(static_cast<unsigned char>(c)))
      return false;
  return true;
}

std::string error_message(const Reply& reply) {
  return json::value_to<std::string>(reply.json().at("error").at("message"));
}

}  // namespace

TEST_CASE("initialize issues a 128-bit session id that later requests carry", "[e2e_http][session]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  auto reply =
      client.post(client.make_request("initialize", {{"protocolVersion", "2025-11-25"},
                                                     {"capabilities", json::object{}},
                                                     {"clientInfo", {{"name", "t"}, {"version", "1"}}}}));
  REQUIRE(reply.status == 200);
  CHECK(reply.header("Content-Type").rfind("application/json", 0) == 0);
  const std::string id = reply.header("Mcp-Session-Id");
  CHECK(id.size() == 32);  // 16 random bytes in hex
  CHECK(is_lower_hex(id));
  CHECK(json::value_to<std::string>(reply.response().at("result").at("protocolVersion")) == "2025-11-25");

  McpHttpClient other(server.base_url());
  CHECK(other.initialize() != id);

  McpHttpClient with_session(server.base_url());
  with_session.initialize();
  auto tools = with_session.request("tools/list");
  CHECK(tools.at("result").at("tools").as_array().size() >= 3);
}

TEST_CASE("requests after initialize need a known session id", "[e2e_http][session]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());

  SECTION("a request without Mcp-Session-Id gets 400 with a JSON-RPC error") {
    auto request = client.make_request("tools/list");
    auto reply = client.post(request);
    CHECK(reply.status == 400);
    CHECK(error_message(reply).find("Mcp-Session-Id") != std::string::npos);
    CHECK(reply.json().at("id") == request.at("id"));
  }
  SECTION("an unknown session id gets 404") {
    auto reply = client.post(client.make_request("tools/list"),
                             {{"Mcp-Session-Id", "00000000000000000000000000000000"}});
    CHECK(reply.status == 404);
    CHECK(error_message(reply).find("initialize") != std::string::npos);
    auto get = client.get("/mcp", {{"Mcp-Session-Id", "0123"}, {"Accept", "text/event-stream"}});
    CHECK(get.status == 404);
  }
}

TEST_CASE("notifications and responses are accepted with 202 and no body", "[e2e_http][session]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  client.initialize();
  auto note = client.post(json::object{{"jsonrpc", "2.0"}, {"method", "notifications/roots/list_changed"}});
  CHECK(note.status == 202);
  CHECK(note.body.empty());
  auto answer =
      client.post(json::object{{"jsonrpc", "2.0"}, {"id", "nobody-asked"}, {"result", json::object{}}});
  CHECK(answer.status == 202);
  CHECK(answer.body.empty());
}

TEST_CASE("DELETE ends a session", "[e2e_http][session]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  client.initialize();
  CHECK(client.request("ping").contains("result"));

  auto deleted = client.del();
  CHECK(deleted.status == 204);
  CHECK(client.post(client.make_request("ping")).status == 404);
  CHECK(client.del().status == 404);
  CHECK(client.get("/mcp", client.session_headers()).status == 404);
}

TEST_CASE("idle sessions expire and active ones do not", "[e2e_http][session]") {
  ServerOptions options;
  options.http["session_idle_timeout_ms"] = 400;
  McpdHttpServer server(options);

  McpHttpClient idle(server.base_url());
  idle.initialize();
  McpHttpClient busy(server.base_url());
  busy.initialize();

  const auto until = std::chrono::steady_clock::now() + 1500ms;
  while (std::chrono::steady_clock::now() < until) {
    REQUIRE(busy.post(busy.make_request("ping")).status == 200);
    std::this_thread::sleep_for(100ms);
  }
  auto expired = idle.post(idle.make_request("ping"));
  CHECK(expired.status == 404);
  CHECK(busy.post(busy.make_request("ping")).status == 200);
  CHECK(server.process().wait_for_stderr("session expired after being idle", 2000ms));
}

TEST_CASE("a failed initialize creates no session", "[e2e_http][session]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  auto reply = client.post(client.make_request("initialize", {{"capabilities", json::object{}}}));
  REQUIRE(reply.status == 200);
  CHECK(reply.response().contains("error"));
  CHECK(reply.header("Mcp-Session-Id").empty());
  auto health = client.get("/healthz");
  CHECK(health.json().at("sessions") == json::value(0));
}
