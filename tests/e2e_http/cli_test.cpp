// `mcpd serve --http`: how the address is given, how mistakes are reported,
// and stdio served beside HTTP.
#include <catch2/catch.hpp>

#include <fstream>

#include "fault_latency.hpp"
#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;

TEST_CASE("a malformed --http address is a usage error naming it", "[e2e_http][cli]") {
  TempDir dir;
  for (const std::string address : {"127.0.0.1:99999", "::1:8080", "host:port"}) {
    auto outcome = mcpd_test::run_to_completion(
        {MCPD_HTTP_TEST_MCPD_EXE, "serve", "--http", address, "--plugins-dir", dir.path().string()}, 10000ms);
    INFO(outcome.stderr_text);
    CHECK(outcome.exit_code == 2);
    CHECK(outcome.stderr_text.find(address) != std::string::npos);
  }
}

TEST_CASE("mistakes in the http section stop the server with a clear error", "[e2e_http][cli]") {
  TempDir dir;
  const auto config = dir.path() / "mcpd.json";
  std::ofstream(config) << R"({"http": {"alowed_origins": ["http://localhost"]}})";
  auto outcome =
      mcpd_test::run_to_completion({MCPD_HTTP_TEST_MCPD_EXE, "serve", "--http", "127.0.0.1:0", "--config",
                                    config.string(), "--plugins-dir", dir.path().string()},
                                   10000ms);
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.stderr_text.find("http.alowed_origins") != std::string::npos);
  CHECK(outcome.stderr_text.find("did you mean \\\"http.allowed_origins\\\"") != std::string::npos);
}

TEST_CASE("serving stdio next to HTTP (--stdio --http): both work, and EOF on stdin stops the server",
          "[e2e_http][cli]") {
  ServerOptions options;
  options.with_stdio = true;
  McpdHttpServer server(options);

  server.process().write_line(
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"stdio","version":"1"}}})");
  auto line = server.process().read_line(5000ms);
  REQUIRE(line.has_value());
  CHECK(json::parse(*line).at("id") == json::value(1));

  McpHttpClient client(server.base_url());
  client.initialize();
  CHECK(client.call_tool("hello.greet", {{"name", "both"}}).at("result").at("content").at(0).at("text") ==
        json::value("Hello, both!"));

  server.process().close_stdin();
  auto code = server.process().wait_exit(20000ms);
  REQUIRE(code.has_value());
  CHECK(*code == 0);
}

TEST_CASE("stdin stopping in the middle of a message, then closed: HTTP clients are served meanwhile",
          "[e2e_http][cli][faults]") {
  ServerOptions options;
  options.with_stdio = true;
  McpdHttpServer server(options);
  McpHttpClient client(server.base_url());
  client.initialize();
  const auto ping = [&client] { REQUIRE(client.post(client.make_request("ping")).status == 200); };
  const auto idle = mcpd_test::median_latency(ping);

  // Half a message on stdin: the stdio reader waits for the rest of the line.
  server.process().write(R"({"jsonrpc":"2.0","id":99,"method":"tools/ca)");
  const auto figures =
      mcpd_test::measure_under_fault("stdin stopped in the middle of a message (--stdio --http)", idle, ping);
  INFO(figures);
  CHECK(figures.within_bound());

  // Then stdin closes: the half line is a parse error, and the server stops cleanly.
  server.process().close_stdin();
  auto code = server.process().wait_exit(20000ms);
  REQUIRE(code.has_value());
  CHECK(*code == 0);
  std::optional<std::string> last;
  while (auto line = server.process().read_line(100ms)) last = line;
  REQUIRE(last.has_value());
  CHECK(json::parse(*last).at("error").at("code") == json::value(-32700));
}

TEST_CASE("SIGTERM stops a server that also serves stdio", "[e2e_http][cli]") {
  ServerOptions options;
  options.with_stdio = true;
  McpdHttpServer server(options);
  auto code = server.terminate(20000ms);
  REQUIRE(code.has_value());
  CHECK(*code == 0);
}
