// One port, one server: a second `mcpd serve --http` on a port that is
// already served exits 2 (defect: cpp-httplib's SO_REUSEPORT let both bind,
// and clients' requests then landed on either), unless both opt in with
// http.reuse_port for a zero-downtime restart.
#include <catch2/catch.hpp>

#include <fstream>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"

using namespace mcpd_http_test;
using namespace std::chrono_literals;

TEST_CASE("a second server on a port that is already served exits 2 and says why", "[e2e_http][cli]") {
  McpdHttpServer first;
  TempDir dir;
  auto outcome = mcpd_test::run_to_completion(
      {MCPD_HTTP_TEST_MCPD_EXE, "serve", "--http", first.address(), "--plugins-dir", dir.path().string()},
      20000ms);
  INFO(outcome.stderr_text);
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.stderr_text.find("cannot listen on " + first.address()) != std::string::npos);
  CHECK(outcome.stderr_text.find("Address already in use") != std::string::npos);
  CHECK(outcome.stderr_text.find("http.reuse_port") != std::string::npos);
  // The first server is untouched.
  McpHttpClient client(first.base_url());
  CHECK_NOTHROW(client.initialize());
}

TEST_CASE("with http.reuse_port two servers share a port", "[e2e_http][cli]") {
  ServerOptions options;
  options.http["reuse_port"] = true;
  McpdHttpServer first(options);

  ServerOptions second_options;
  second_options.listen = first.address();
  second_options.environment = {"MCPD_HTTP_REUSE_PORT=true"};
  McpdHttpServer second(second_options);
  CHECK(second.port() == first.port());
  // Both serve; which one a connection reaches is the kernel's choice (that
  // is why a session may land on the other process: see docs/http.md).
  McpHttpClient client(second.base_url());
  CHECK(client.get("/healthz").status == 200);
}
