// Graceful shutdown on SIGTERM: no new work is accepted, calls in flight
// finish (up to server.shutdown_timeout_ms, then they are cancelled), event
// streams are closed, and the process exits 0.
#include <catch2/catch.hpp>

#include <fstream>
#include <future>
#include <thread>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

std::string marker_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  return text;
}

bool wait_for_marker(const std::filesystem::path& path, const std::string& text,
                     std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (marker_text(path) == text) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

}  // namespace

TEST_CASE("SIGTERM lets in-flight calls complete, closes streams and exits 0", "[e2e_http][shutdown]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  client.initialize();
  SseListener stream(server.base_url(), "/mcp", client.session_headers());
  REQUIRE(stream.wait_status(5000ms) == 200);

  std::vector<std::future<Reply>> calls;
  for (int i = 0; i < 4; ++i) {
    const auto marker = server.work_dir() / ("call" + std::to_string(i));
    calls.push_back(std::async(std::launch::async, [&server, &client, marker] {
      McpHttpClient caller(server.base_url());
      caller.use_session(client.session_id());
      return caller.post(caller.make_request(
          "tools/call",
          {{"name", "testkit.slow"}, {"arguments", {{"ms", 1500}, {"cancel_marker", marker.string()}}}}));
    }));
    REQUIRE(wait_for_marker(marker, "started", 5000ms));
  }

  ::kill(server.process().pid(), SIGTERM);
  REQUIRE(server.process().wait_for_stderr("shutting down", 5000ms));
  // New work is refused while the running calls finish.
  McpHttpClient late(server.base_url());
  late.use_session(client.session_id());
  const int late_status = late.post(late.make_request("ping")).status;
  INFO("status of a request after SIGTERM: " << late_status);
  CHECK((late_status == 503 || late_status == 0));

  for (auto& call : calls) {
    auto reply = call.get();
    REQUIRE(reply.status == 200);
    CHECK(reply.response().at("result").at("content").at(0).at("text") == json::value("slept 1500 ms"));
  }
  CHECK(stream.wait_closed(10000ms));
  auto code = server.process().wait_exit(20000ms);
  REQUIRE(code.has_value());
  CHECK(*code == 0);
  CHECK(server.process().stderr_text().find("mcpd stopped") != std::string::npos);
}

TEST_CASE("calls still running at the shutdown deadline are cancelled and the process exits 0",
          "[e2e_http][shutdown]") {
  ServerOptions options;
  options.server["shutdown_timeout_ms"] = 300;
  McpdHttpServer server(options);
  McpHttpClient client(server.base_url());
  client.initialize();
  const auto marker = server.work_dir() / "long";
  auto call = std::async(std::launch::async, [&] {
    return client.post(client.make_request(
        "tools/call",
        {{"name", "testkit.slow"}, {"arguments", {{"ms", 60000}, {"cancel_marker", marker.string()}}}}));
  });
  REQUIRE(wait_for_marker(marker, "started", 5000ms));
  const auto started = std::chrono::steady_clock::now();
  ::kill(server.process().pid(), SIGTERM);
  auto code = server.process().wait_exit(20000ms);
  REQUIRE(code.has_value());
  CHECK(*code == 0);
  CHECK(std::chrono::steady_clock::now() - started < 15s);
  CHECK(marker_text(marker) == "cancelled");
  REQUIRE(call.wait_for(5000ms) == std::future_status::ready);
  CHECK(call.get().body.find("slept") == std::string::npos);
}
