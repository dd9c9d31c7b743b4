// The SDK HTTP client's call_hooks::advise_retry and client_options::max_server_delay (which the gemini
// plugin uses for Google's RetryInfo and QuotaFailure) and the abort of a cancelled request in flight,
// against a local cpp-httplib server.
#include <catch2/catch.hpp>

#include <atomic>
#include <mcpd/sdk/http/client.hpp>

#include <thread>
#include "loopback_server.hpp"

namespace http = mcpd::sdk::http;
using namespace std::chrono_literals;

namespace {

// Answers every request with 429 and a body naming the attempt; counts requests.
class always_429 {
 public:
  always_429() {
    http_.routes().Get("/x", [this](const httplib::Request&, httplib::Response& res) {
      ++requests;
      res.status = 429;
      res.set_content("{}", "application/json");
    });
    http_.start();
  }
  std::string url() const { return http_.url(); }
  std::atomic<int> requests{0};

 private:
  mcpd_test::loopback_server http_;
};

http::client_options fast_options() {
  http::client_options options;
  options.timeout = 2000ms;
  options.retry = {3, 1ms, 5ms};
  return options;
}

}  // namespace

TEST_CASE("SDK http: advise_retry can stop retries and set the delay", "[unit][sdk_http]") {
  always_429 server;
  http::request request;
  request.target = "/x";

  SECTION("give_up: one attempt, the advised delay reported") {
    http::client client(server.url(), fast_options());
    http::call_hooks hooks;
    hooks.advise_retry = [](const http::response&) {
      return http::retry_advice{http::retry_advice::decision::give_up, 86400000ms};
    };
    const auto outcome = client.send(request, hooks);
    CHECK(outcome.attempts == 1);
    CHECK(server.requests == 1);
    CHECK(outcome.retry_after == 86400000ms);
  }
  SECTION("retry after the advised delay, which may exceed max_backoff up to max_server_delay") {
    auto options = fast_options();
    options.max_server_delay = 1000ms;
    http::client client(server.url(), options);
    http::call_hooks hooks;
    hooks.advise_retry = [](const http::response&) {
      return http::retry_advice{http::retry_advice::decision::retry, 150ms};
    };
    const auto started = std::chrono::steady_clock::now();
    const auto outcome = client.send(request, hooks);
    CHECK(outcome.attempts == 3);
    CHECK(std::chrono::steady_clock::now() - started >= 300ms);  // two waits of the advised 150 ms
  }
  SECTION("an advised delay over max_server_delay is reported, not waited for") {
    auto options = fast_options();
    options.max_server_delay = 100ms;
    http::client client(server.url(), options);
    http::call_hooks hooks;
    hooks.advise_retry = [](const http::response&) {
      return http::retry_advice{http::retry_advice::decision::by_status, 5000ms};
    };
    const auto outcome = client.send(request, hooks);
    CHECK(outcome.attempts == 1);
    CHECK(outcome.retry_after == 5000ms);
  }
}

TEST_CASE("SDK http: cancelling aborts a request in flight", "[unit][sdk_http]") {
  httplib::Server server;
  server.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(1500ms);
    res.set_content("late", "text/plain");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(1ms);

  auto options = fast_options();
  options.timeout = 10000ms;
  http::client client("http://127.0.0.1:" + std::to_string(port), options);
  http::request request;
  request.target = "/slow";
  const auto started = std::chrono::steady_clock::now();
  http::call_hooks hooks;
  hooks.cancelled = [&] { return std::chrono::steady_clock::now() - started > 200ms; };
  const auto outcome = client.send(request, hooks);
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(outcome.failure == http::failure_kind::cancelled);
  CHECK_FALSE(outcome.reply);
  CHECK(took < 1000ms);  // not the server's 1500 ms, nor the 10 s timeout

  server.stop();
  thread.join();
}
