// The SDK HTTP client against upstreams that never stop: a body far larger than anything a plugin should
// hold (announced as 2 GB), and a chunked answer that trickles on for ever. Both end with a clear failure,
// bounded memory and bounded time, and neither is retried into the same trap more than the policy allows.
#include <catch2/catch.hpp>

#include <fstream>
#include <mcpd/sdk/http/client.hpp>

#include <string>
#include <thread>
#include "loopback_server.hpp"

namespace http = mcpd::sdk::http;
using namespace std::chrono_literals;

namespace {

http::request get(std::string target) {
  http::request request;
  request.target = std::move(target);
  return request;
}

// Peak resident memory of this process so far (VmHWM), in MiB.
long peak_rss_mib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  }
  return -1;
}

class endless_server {
 public:
  endless_server() {
    auto& routes = http_.routes();
    // Announces 2 GB and sends zeros as fast as the client reads.
    routes.Get("/two_gigabytes", [](const httplib::Request&, httplib::Response& res) {
      res.set_content_provider(std::size_t{2} << 30, "application/json",
                               [](std::size_t, std::size_t length, httplib::DataSink& sink) {
                                 static const std::string zeros(1 << 16, '0');
                                 sink.write(zeros.data(), std::min(length, zeros.size()));
                                 return true;
                               });
    });
    // A chunked answer that sends a few bytes every 50 ms and never ends.
    routes.Get("/trickle", [this](const httplib::Request&, httplib::Response& res) {
      ++trickles;
      res.set_chunked_content_provider("application/json", [](std::size_t, httplib::DataSink& sink) {
        std::this_thread::sleep_for(50ms);
        const std::string piece = "[0,";
        return sink.write(piece.data(), piece.size());
      });
    });
    http_.start();
  }
  std::string url() const { return http_.url(); }
  std::atomic<int> trickles{0};

 private:
  mcpd_test::loopback_server http_;
};

}  // namespace

TEST_CASE("a body larger than max_body_bytes is not read into memory", "[sdk][http][limits]") {
  endless_server server;
  http::client_options options;
  options.max_body_bytes = 8 << 20;
  options.retry.max_attempts = 3;
  const http::client client(server.url(), options);
  const auto started = std::chrono::steady_clock::now();
  const auto result = client.send(get("/two_gigabytes"));
  CHECK(std::chrono::steady_clock::now() - started < 30s);
  CHECK(result.failure == http::failure_kind::too_large);
  CHECK_FALSE(result.reply);
  CHECK(result.attempts == 1);  // the same answer again would be as large
  CHECK(result.failure_detail.find("more than 8388608 bytes") != std::string::npos);
  CHECK(peak_rss_mib() < 256);
}

TEST_CASE("the default max_body_bytes stops a 2 GB answer at 64 MiB", "[sdk][http][limits]") {
  endless_server server;
  const http::client client(server.url(), http::client_options{});
  const auto result = client.send(get("/two_gigabytes"));
  CHECK(result.failure == http::failure_kind::too_large);
  CHECK(peak_rss_mib() < 512);
}

TEST_CASE("a chunked answer that never finishes ends at max_attempt_time", "[sdk][http][limits]") {
  endless_server server;
  http::client_options options;
  options.timeout = 2000ms;  // each wait is short, so only the overall deadline can stop it
  options.max_attempt_time = 1500ms;
  options.retry = {2, 10ms, 10ms};
  const http::client client(server.url(), options);
  const auto started = std::chrono::steady_clock::now();
  const auto result = client.send(get("/trickle"));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  CHECK(result.failure == http::failure_kind::timeout);
  CHECK(result.failure_detail.find("did not finish its answer within 1500 ms") != std::string::npos);
  CHECK(result.attempts == 2);
  CHECK(server.trickles == 2);
  CHECK(elapsed >= 3000ms);
  CHECK(elapsed < 10s);
}

TEST_CASE("cancelling a trickling answer stops it at once", "[sdk][http][limits]") {
  endless_server server;
  const http::client client(server.url(), http::client_options{});
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(300ms);
    cancel = true;
  });
  http::call_hooks hooks;
  hooks.cancelled = [&] { return cancel.load(); };
  const auto started = std::chrono::steady_clock::now();
  const auto result = client.send(get("/trickle"), hooks);
  canceller.join();
  CHECK(result.failure == http::failure_kind::cancelled);
  CHECK(std::chrono::steady_clock::now() - started < 5s);
}
