// What the endpoint checks in each request's headers and body before a
// message reaches the MCP session: protocol version, Accept, Content-Type,
// one well-formed JSON-RPC message per POST, and the methods it serves.
#include <catch2/catch.hpp>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;

namespace {

std::string error_message(const Reply& reply) {
  return json::value_to<std::string>(reply.json().at("error").at("message"));
}

}  // namespace

TEST_CASE("MCP-Protocol-Version is checked on every request after initialize", "[e2e_http][headers]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  client.initialize();

  SECTION("an unsupported version gets 400 naming the supported ones") {
    auto reply = client.post(client.make_request("ping"), {{"MCP-Protocol-Version", "1999-01-01"}});
    CHECK(reply.status == 400);
    CHECK(error_message(reply).find("1999-01-01") != std::string::npos);
    CHECK(error_message(reply).find("2025-11-25") != std::string::npos);
    auto get = client.get("/mcp", {{"Mcp-Session-Id", client.session_id()},
                                   {"MCP-Protocol-Version", "bogus"},
                                   {"Accept", "text/event-stream"}});
    CHECK(get.status == 400);
  }
  SECTION("a missing header is taken as 2025-03-26 and accepted") {
    auto reply = client.post_raw(json::serialize(client.make_request("ping")),
                                 {{"Mcp-Session-Id", client.session_id()}, {"Accept", "application/json"}});
    CHECK(reply.status == 200);
  }
  SECTION("any supported version is accepted, even one other than the negotiated one") {
    for (const char* version : {"2025-03-26", "2024-11-05", "2025-06-18", "2025-11-25"}) {
      auto reply = client.post(client.make_request("ping"), {{"MCP-Protocol-Version", version}});
      CHECK(reply.status == 200);
    }
  }
}

TEST_CASE("Accept and Content-Type are checked", "[e2e_http][headers]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  client.initialize();

  SECTION("an Accept without JSON or SSE gets 406") {
    auto reply = client.post(client.make_request("ping"), {{"Accept", "text/html"}});
    CHECK(reply.status == 406);
    CHECK(error_message(reply).find("Accept") != std::string::npos);
    auto get = client.get("/mcp", {{"Mcp-Session-Id", client.session_id()}, {"Accept", "application/json"}});
    CHECK(get.status == 406);
  }
  SECTION("a body that is not application/json gets 415") {
    auto headers = client.session_headers();
    headers.emplace("Content-Type", "text/plain");
    auto reply = client.post_raw(json::serialize(client.make_request("ping")), headers);
    CHECK(reply.status == 415);
    CHECK(error_message(reply).find("application/json") != std::string::npos);
  }
  SECTION("a client that reads only JSON gets the response as JSON even when the call reports progress") {
    auto reply = client.post(client.make_request("tools/call", {{"name", "testkit.progress"},
                                                                {"arguments", {{"steps", 3}}},
                                                                {"_meta", {{"progressToken", "p"}}}}),
                             {{"Accept", "application/json"}});
    REQUIRE(reply.status == 200);
    CHECK_FALSE(reply.is_sse());
    CHECK(reply.response().at("result").at("content").at(0).at("text") == json::value("reported 3 steps"));
  }
  SECTION("a client that reads only SSE gets a stream even for a plain response") {
    auto reply = client.post(client.make_request("ping"), {{"Accept", "text/event-stream"}});
    REQUIRE(reply.status == 200);
    CHECK(reply.is_sse());
    CHECK(reply.response().contains("result"));
  }
}

TEST_CASE("a POST holds exactly one well-formed JSON-RPC message", "[e2e_http][headers]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  client.initialize();

  SECTION("not JSON: 400 with a parse error") {
    auto reply = client.post_raw("{not json", client.session_headers());
    CHECK(reply.status == 400);
    CHECK(reply.json().at("error").at("code") == json::value(-32700));
  }
  SECTION("a batch: 400 with an invalid-request error") {
    json::array batch{client.make_request("ping"), client.make_request("ping")};
    auto reply = client.post(batch);
    CHECK(reply.status == 400);
    CHECK(reply.json().at("error").at("code") == json::value(-32600));
    CHECK(error_message(reply).find("batch") != std::string::npos);
  }
  SECTION("a request with an id but no method is answered with an error for that id") {
    auto reply = client.post(json::object{{"jsonrpc", "2.0"}, {"id", 77}});
    REQUIRE(reply.status == 200);
    CHECK(reply.response().at("id") == json::value(77));
    CHECK(reply.response().at("error").at("code") == json::value(-32600));
  }
}

TEST_CASE("methods other than GET, POST, DELETE and OPTIONS get 405 with Allow", "[e2e_http][headers]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  auto put = client.http().Put("/mcp", "{}", "application/json");
  REQUIRE(put);
  CHECK(put->status == 405);
  CHECK(put->get_header_value("Allow").find("POST") != std::string::npos);
  auto other = client.get("/not-here");
  CHECK(other.status == 404);
  CHECK(error_message(other).find("/mcp") != std::string::npos);
}
