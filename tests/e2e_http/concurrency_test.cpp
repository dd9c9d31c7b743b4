// Many clients at once: 100 sessions, each making 50 calls with a value of
// its own; every answer must come back to the call that asked for it.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;

TEST_CASE("100 concurrent clients doing 50 calls each lose nothing and mix nothing up",
          "[e2e_http][concurrency]") {
  constexpr int kClients = 100;
  constexpr int kCalls = 50;
  ServerOptions options;
  options.server["worker_threads"] = 8;
  McpdHttpServer server(options);

  std::atomic<int> matched{0};
  std::vector<std::future<std::string>> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.push_back(std::async(std::launch::async, [&server, &matched, c]() -> std::string {
      try {
        McpHttpClient client(server.base_url());
        client.initialize();
        for (int i = 0; i < kCalls; ++i) {
          const std::string value = "client-" + std::to_string(c) + "-call-" + std::to_string(i);
          auto request = client.make_request("tools/call",
                                             {{"name", "testkit.echo"}, {"arguments", {{"value", value}}}});
          auto reply = client.post(request);
          if (reply.status != 200) return value + ": HTTP " + std::to_string(reply.status);
          auto response = reply.response();
          if (response.at("id") != request.at("id")) return value + ": wrong id";
          if (response.at("result").at("structuredContent").at("value") != json::value(value))
            return value + ": got " + json::serialize(response);
          ++matched;
        }
        return {};
      } catch (const std::exception& e) {
        return "client " + std::to_string(c) + ": " + e.what();
      }
    }));
  }
  std::vector<std::string> failures;
  for (auto& f : clients)
    if (auto failure = f.get(); !failure.empty()) failures.push_back(failure);
  INFO((failures.empty() ? std::string() : failures.front()));
  CHECK(failures.empty());
  CHECK(matched.load() == kClients * kCalls);

  McpHttpClient probe(server.base_url());
  auto metrics = probe.get("/metrics").body;
  CHECK(metrics.find("mcpd_tool_calls_total{tool=\"testkit.echo\",outcome=\"ok\"} " +
                     std::to_string(kClients * kCalls)) != std::string::npos);
}
