// Limits on concurrency: calls per session (429) and sessions (503), each
// with Retry-After and a message naming the setting.
#include <catch2/catch.hpp>

#include <fstream>
#include <future>
#include <memory>
#include <thread>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

bool wait_for_marker(const std::filesystem::path& path, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    std::ifstream in(path);
    std::string text;
    if (std::getline(in, text) && text == "started") return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

}  // namespace

TEST_CASE("too many concurrent calls in one session get 429 with Retry-After", "[e2e_http][limits]") {
  ServerOptions options;
  options.http["max_calls_per_session"] = 2;
  McpdHttpServer server(options);
  McpHttpClient client(server.base_url());
  client.initialize();

  std::vector<std::future<Reply>> running;
  for (int i = 0; i < 2; ++i) {
    const auto marker = server.work_dir() / ("slow" + std::to_string(i));
    running.push_back(std::async(std::launch::async, [&server, &client, marker] {
      McpHttpClient caller(server.base_url());
      caller.use_session(client.session_id());
      return caller.post(caller.make_request(
          "tools/call",
          {{"name", "testkit.slow"}, {"arguments", {{"ms", 1500}, {"cancel_marker", marker.string()}}}}));
    }));
    REQUIRE(wait_for_marker(marker, 5000ms));
  }
  auto refused = client.post(
      client.make_request("tools/call", {{"name", "hello.greet"}, {"arguments", {{"name", "x"}}}}));
  CHECK(refused.status == 429);
  CHECK(refused.header("Retry-After") == "1");
  CHECK(json::value_to<std::string>(refused.json().at("error").at("message"))
            .find("http.max_calls_per_session") != std::string::npos);
  // ping is not a call: it still gets through.
  CHECK(client.post(client.make_request("ping")).status == 200);

  for (auto& f : running) CHECK(f.get().status == 200);
  CHECK(client.call_tool("hello.greet", {{"name", "x"}}).contains("result"));
}

TEST_CASE("too many busy sessions get 503 with Retry-After", "[e2e_http][limits]") {
  ServerOptions options;
  options.http["max_sessions"] = 2;
  McpdHttpServer server(options);
  McpHttpClient first(server.base_url());
  first.initialize();
  McpHttpClient second(server.base_url());
  second.initialize();
  // An open GET stream makes a session busy: it is never evicted for a new one.
  auto first_stream = std::make_unique<SseListener>(server.base_url(), "/mcp", first.session_headers());
  SseListener second_stream(server.base_url(), "/mcp", second.session_headers());
  REQUIRE(first_stream->wait_status(5000ms) == 200);
  REQUIRE(second_stream.wait_status(5000ms) == 200);
  std::this_thread::sleep_for(1200ms);  // older than the eviction grace
  McpHttpClient third(server.base_url());
  auto refused =
      third.post(third.make_request("initialize", {{"protocolVersion", "2025-11-25"},
                                                   {"capabilities", json::object{}},
                                                   {"clientInfo", {{"name", "t"}, {"version", "1"}}}}));
  CHECK(refused.status == 503);
  CHECK_FALSE(refused.header("Retry-After").empty());
  CHECK(json::value_to<std::string>(refused.json().at("error").at("message")).find("http.max_sessions") !=
        std::string::npos);
  // Ending one session makes room.
  first_stream->stop();
  first_stream.reset();
  CHECK(first.del().status == 204);
  CHECK_NOTHROW(third.initialize());
}
