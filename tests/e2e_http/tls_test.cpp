// TLS through OpenSSL: with http.tls.cert_file and key_file the endpoint
// speaks HTTPS, verified here against a certificate the test generates.
#include <catch2/catch.hpp>

#include <fstream>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"
#include "test_certificate.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;

TEST_CASE("HTTPS round trip with a certificate made by the test", "[e2e_http][tls]") {
  TempDir certificates;
  const auto cert = make_test_certificate(certificates.path());
  ServerOptions options;
  options.http["tls"] =
      json::object{{"cert_file", cert.cert_file.string()}, {"key_file", cert.key_file.string()}};
  McpdHttpServer server(options);
  CHECK(server.process().stderr_text().find("scheme=https") != std::string::npos);

  McpHttpClient client(server.base_url(true), "/mcp", cert.cert_file.string());
  client.initialize();
  auto result = client.call_tool("hello.greet", {{"name", "tls"}});
  CHECK(result.at("result").at("content").at(0).at("text") == json::value("Hello, tls!"));

  // SSE over TLS too.
  auto stream = client.call_tool("testkit.progress", {{"steps", 2}}, {{"progressToken", "t"}});
  CHECK(stream.at("result").at("content").at(0).at("text") == json::value("reported 2 steps"));

  // Plain HTTP to the TLS port gets no HTTP answer.
  McpHttpClient plain(server.base_url(false));
  CHECK(plain.post(json::object{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "ping"}}).status == 0);
}

TEST_CASE("a TLS key that does not exist stops the server with a clear error", "[e2e_http][tls]") {
  TempDir dir;
  const auto cert = make_test_certificate(dir.path());
  const auto config = dir.path() / "mcpd.json";
  std::ofstream(config) << json::serialize(json::object{
      {"http",
       {{"tls",
         {{"cert_file", cert.cert_file.string()}, {"key_file", (dir.path() / "missing.pem").string()}}}}}});
  auto outcome =
      mcpd_test::run_to_completion({MCPD_HTTP_TEST_MCPD_EXE, "serve", "--http", "127.0.0.1:0", "--config",
                                    config.string(), "--plugins-dir", dir.path().string()},
                                   10000ms);
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.stderr_text.find("missing.pem") != std::string::npos);
  CHECK(outcome.stderr_text.find("key_file") != std::string::npos);
}
