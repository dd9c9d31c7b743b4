// TLS through OpenSSL: with http.tls.cert_file and key_file the endpoint
// speaks HTTPS, verified here against a certificate the test generates.
#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <vector>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"
#include "raw_connection.hpp"
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

TEST_CASE("over TLS, connections that never finish their handshake are cut at http.header_timeout_ms",
          "[e2e_http][tls][connections]") {
  TempDir certificates;
  const auto cert = make_test_certificate(certificates.path());
  ServerOptions options;
  options.http["tls"] =
      json::object{{"cert_file", cert.cert_file.string()}, {"key_file", cert.key_file.string()}};
  options.http["threads"] = 4;
  options.http["header_timeout_ms"] = 1000;
  McpdHttpServer server(options);

  // Three times as many silent connections as threads: each holds a thread
  // until its handshake deadline (cpp-httplib's own TLS loop waited 10 s per read).
  std::vector<std::unique_ptr<RawConnection>> silent;
  for (int i = 0; i < 12; ++i) silent.push_back(std::make_unique<RawConnection>(server.port()));

  const auto started = std::chrono::steady_clock::now();
  McpHttpClient client(server.base_url(true), "/mcp", cert.cert_file.string());
  CHECK_NOTHROW(client.initialize());
  const auto latency = std::chrono::steady_clock::now() - started;
  INFO("well-behaved initialize took "
       << std::chrono::duration_cast<std::chrono::milliseconds>(latency).count() << " ms");
  CHECK(latency < 8s);
  for (auto& connection : silent) CHECK(connection->wait_closed(3000ms));
  CHECK(client.get("/metrics").body.find("mcpd_http_refusals_total{reason=\"tls_handshake_timeout\"}") !=
        std::string::npos);
}
