// The door: DNS-rebinding protection (Host and Origin allow-lists), CORS for
// allowed origins, bearer tokens with RFC 9728 metadata, no tokens in URLs,
// and size limits on what a request may carry.
#include <catch2/catch.hpp>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

std::string error_message(const Reply& reply) {
  return json::value_to<std::string>(reply.json().at("error").at("message"));
}

json::object initialize_request() {
  return json::object{{"jsonrpc", "2.0"},
                      {"id", 1},
                      {"method", "initialize"},
                      {"params",
                       {{"protocolVersion", "2025-11-25"},
                        {"capabilities", json::object{}},
                        {"clientInfo", {{"name", "t"}, {"version", "1"}}}}}};
}

}  // namespace

TEST_CASE("a Host that is not allowed gets 403 with a JSON-RPC error", "[e2e_http][security]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  auto evil = client.post(initialize_request(), {{"Host", "evil.example.com"}});
  CHECK(evil.status == 403);
  CHECK(evil.json().at("jsonrpc") == json::value("2.0"));
  CHECK(error_message(evil).find("evil.example.com") != std::string::npos);
  CHECK(evil.header("Mcp-Session-Id").empty());
  for (const std::string& host :
       std::vector<std::string>{"localhost", "127.0.0.1:" + std::to_string(server.port()), "[::1]:8080"}) {
    auto ok = client.post(initialize_request(), {{"Host", host}});
    CHECK(ok.status == 200);
  }
}

TEST_CASE("an Origin that is not allowed gets 403, allowed ones get CORS headers", "[e2e_http][security]") {
  ServerOptions options;
  options.http["allowed_origins"] = json::array{"http://localhost", "https://app.example.com"};
  McpdHttpServer server(options);
  McpHttpClient client(server.base_url());

  auto evil = client.post(initialize_request(), {{"Origin", "http://evil.example.com"}});
  CHECK(evil.status == 403);
  CHECK(error_message(evil).find("Origin") != std::string::npos);
  CHECK(client.post(initialize_request(), {{"Origin", "https://evil.app.example.com"}}).status == 403);
  CHECK(client.post(initialize_request(), {{"Origin", "null"}}).status == 403);

  auto allowed = client.post(initialize_request(), {{"Origin", "http://localhost:5173"}});
  REQUIRE(allowed.status == 200);
  CHECK(allowed.header("Access-Control-Allow-Origin") == "http://localhost:5173");
  CHECK(allowed.header("Access-Control-Expose-Headers").find("Mcp-Session-Id") != std::string::npos);
  CHECK(allowed.header("Access-Control-Expose-Headers").find("MCP-Protocol-Version") != std::string::npos);

  auto preflight = client.http().Options(
      "/mcp", {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "POST"}});
  REQUIRE(preflight);
  CHECK(preflight->status == 204);
  CHECK(preflight->get_header_value("Access-Control-Allow-Origin") == "https://app.example.com");
  const auto allowed_headers = preflight->get_header_value("Access-Control-Allow-Headers");
  for (const char* h :
       {"Mcp-Session-Id", "MCP-Protocol-Version", "Authorization", "Content-Type", "Last-Event-ID"})
    CHECK(allowed_headers.find(h) != std::string::npos);
  CHECK(preflight->get_header_value("Access-Control-Allow-Methods").find("DELETE") != std::string::npos);
}

TEST_CASE("bearer tokens guard the endpoint and /metrics, not /healthz or the metadata",
          "[e2e_http][security]") {
  ServerOptions options;
  options.environment = {"MCPD_HTTP_BEARER_TOKENS=first-secret-token, second-secret-token"};
  options.http["auth"] = json::object{{"authorization_servers", json::array{"https://auth.example.com"}}};
  McpdHttpServer server(options);
  McpHttpClient client(server.base_url());
  const std::string metadata_url = server.base_url() + "/.well-known/oauth-protected-resource";

  SECTION("no token: 401 with a WWW-Authenticate header pointing at the metadata") {
    auto reply = client.post(initialize_request());
    CHECK(reply.status == 401);
    CHECK(reply.header("WWW-Authenticate") == "Bearer resource_metadata=\"" + metadata_url + "\"");
    CHECK(error_message(reply).find("Authorization: Bearer") != std::string::npos);
  }
  SECTION("a wrong token: 401 with error=invalid_token") {
    auto reply = client.post(initialize_request(), {{"Authorization", "Bearer first-secret-tokeX"}});
    CHECK(reply.status == 401);
    CHECK(reply.header("WWW-Authenticate").find("resource_metadata=\"" + metadata_url + "\"") !=
          std::string::npos);
    CHECK(reply.header("WWW-Authenticate").find("error=\"invalid_token\"") != std::string::npos);
    CHECK(client.post(initialize_request(), {{"Authorization", "Basic Zm9vOmJhcg=="}}).status == 401);
  }
  SECTION("either configured token works, and the session goes on with it") {
    client.add_header("Authorization", "Bearer second-secret-token");
    client.initialize();
    CHECK(client.call_tool("hello.greet", {{"name", "auth"}}).at("result").at("content").at(0).at("text") ==
          json::value("Hello, auth!"));
    McpHttpClient other(server.base_url());
    other.add_header("Authorization", "bearer first-secret-token");
    CHECK_NOTHROW(other.initialize());
  }
  SECTION("a token in the query string is refused") {
    auto in_query = client.http().Post("/mcp?access_token=first-secret-token",
                                       json::serialize(initialize_request()), "application/json");
    REQUIRE(in_query);
    CHECK(in_query->status == 400);
    CHECK(in_query->body.find("query string") != std::string::npos);
  }
  SECTION("the RFC 9728 metadata and /healthz are public, /metrics is not") {
    auto metadata = client.get("/.well-known/oauth-protected-resource");
    REQUIRE(metadata.status == 200);
    auto doc = metadata.json().as_object();
    CHECK(doc.at("resource") == json::value(server.base_url() + "/mcp"));
    CHECK(doc.at("authorization_servers") == json::array{"https://auth.example.com"});
    CHECK(doc.at("bearer_methods_supported") == json::array{"header"});
    CHECK(client.get("/.well-known/oauth-protected-resource/mcp").status == 200);
    CHECK(client.get("/healthz").status == 200);
    CHECK(client.get("/metrics").status == 401);
    CHECK(client.get("/metrics", {{"Authorization", "Bearer first-secret-token"}}).status == 200);
  }
  // Whatever happened above, no token reached the log.
  const auto log = server.process().stderr_text();
  CHECK(log.find("first-secret-token") == std::string::npos);
  CHECK(log.find("second-secret-token") == std::string::npos);
}

TEST_CASE("request size limits answer 413 and 431 with clear messages", "[e2e_http][security]") {
  ServerOptions options;
  options.http["max_body_bytes"] = 2048;
  options.http["max_header_bytes"] = 2048;
  McpdHttpServer server(options);
  McpHttpClient client(server.base_url());
  client.initialize();

  SECTION("an oversized body") {
    auto big = client.make_request(
        "tools/call", {{"name", "testkit.echo"}, {"arguments", {{"value", std::string(4000, 'x')}}}});
    auto reply = client.post(big);
    CHECK(reply.status == 413);
    CHECK(error_message(reply).find("http.max_body_bytes") != std::string::npos);
    // The server is fine afterwards.
    McpHttpClient again(server.base_url());
    again.use_session(client.session_id());
    CHECK(again.request("ping").contains("result"));
  }
  SECTION("oversized headers") {
    auto reply = client.post(client.make_request("ping"), {{"X-Padding-1", std::string(900, 'a')},
                                                           {"X-Padding-2", std::string(900, 'b')},
                                                           {"X-Padding-3", std::string(900, 'c')}});
    CHECK(reply.status == 431);
    CHECK(error_message(reply).find("http.max_header_bytes") != std::string::npos);
  }
}

TEST_CASE("a Host or Origin that only starts like an allowed one is refused and never reflected",
          "[e2e_http][security]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  // A URL parser reads "localhost:80@evil.example" as user "localhost", password "80", host evil.example.
  for (const char* host : {"localhost:80@evil.example", "localhost@evil.example", "localhost:80/x",
                           "127.0.0.1:8o80", "[::1]@evil.example"}) {
    auto refused = client.post(initialize_request(), {{"Host", host}});
    INFO(host);
    CHECK(refused.status == 403);
  }
  for (const char* origin : {"http://localhost:80@evil.example", "http://localhost@evil.example",
                             "http://127.0.0.1:80/evil", "http://localhost:80\\@evil.example"}) {
    auto refused = client.post(initialize_request(), {{"Origin", origin}});
    INFO(origin);
    CHECK(refused.status == 403);
    CHECK(refused.header("Access-Control-Allow-Origin").empty());
  }
  auto allowed = client.post(initialize_request(), {{"Origin", "http://localhost:80"}});
  CHECK(allowed.status == 200);
  CHECK(allowed.header("Access-Control-Allow-Origin") == "http://localhost:80");
}
