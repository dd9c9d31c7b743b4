// The SDK HTTP client's request::sink: a 2xx body streams into it instead of memory, a retried download
// starts over, error bodies stay readable, and a sink that refuses stops the download at once. Against a
// local cpp-httplib server.
#include <catch2/catch.hpp>

#include <atomic>
#include <mcpd/sdk/http/client.hpp>

#include <string>
#include <thread>
#include "loopback_server.hpp"

namespace http = mcpd::sdk::http;
using namespace std::chrono_literals;

namespace {

const std::string big_body = [] {
  std::string body;
  for (int i = 0; body.size() < 3 * 1024 * 1024; ++i) body += "chunk " + std::to_string(i) + "\n";
  return body;
}();

class download_server {
 public:
  download_server() {
    auto& routes = http_.routes();
    routes.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(big_body, "application/octet-stream");
    });
    routes.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content(R"({"detail":"Not found."})", "application/json");
    });
    // The first answer promises the whole body, sends half and hangs up; later ones are complete.
    routes.Get("/cut_once", [this](const httplib::Request&, httplib::Response& res) {
      const bool cut = cut_requests++ == 0;
      res.set_content_provider(big_body.size(), "application/octet-stream",
                               [cut](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                 const std::size_t half = big_body.size() / 2;
                                 if (cut && offset >= half) return false;  // drops the connection
                                 const std::size_t end = cut ? half : big_body.size();
                                 sink.write(big_body.data() + offset,
                                            std::min<std::size_t>(65536, end - offset));
                                 return true;
                               });
    });
    http_.start();
  }
  std::string url() const { return http_.url(); }
  std::atomic<int> cut_requests{0};

 private:
  mcpd_test::loopback_server http_;
};

// A sink writing into a string, counting starts and chunks; refuses once `limit` bytes would be passed.
struct recording_sink {
  std::string received;
  int begins = 0;
  int chunks = 0;
  std::size_t limit = std::string::npos;
  http::body_sink sink{[this] {
                         ++begins;
                         received.clear();
                       },
                       [this](std::string_view chunk) {
                         if (received.size() + chunk.size() > limit) return false;
                         received.append(chunk);
                         ++chunks;
                         return true;
                       }};
};

// GET `target` from a fresh server with `sink` receiving the body (fast retries, 3 attempts).
http::outcome download(const char* target, recording_sink& sink) {
  download_server server;
  http::client_options options;
  options.timeout = 5000ms;
  options.retry = {3, 1ms, 5ms};
  const http::client client(server.url(), options);
  http::request request;
  request.target = target;
  request.sink = &sink.sink;
  return client.send(request);
}

}  // namespace

TEST_CASE("SDK http: a 2xx body streams into the sink, in chunks, not into the reply", "[unit][sdk_http]") {
  recording_sink target;
  const auto outcome = download("/big", target);
  REQUIRE(outcome.ok());
  CHECK(outcome.reply->body.empty());
  CHECK(target.begins == 1);
  CHECK(target.chunks > 1);
  CHECK(target.received == big_body);
}

TEST_CASE("SDK http: with a sink, an error answer's body is still in the reply", "[unit][sdk_http]") {
  recording_sink target;
  const auto outcome = download("/missing", target);
  REQUIRE(outcome.reply);
  CHECK(outcome.reply->status == 404);
  CHECK(outcome.reply->body == R"({"detail":"Not found."})");
  CHECK(target.begins == 0);
  CHECK(target.received.empty());
}

TEST_CASE("SDK http: a download cut short is retried from the start", "[unit][sdk_http]") {
  recording_sink target;
  const auto outcome = download("/cut_once", target);
  REQUIRE(outcome.ok());
  CHECK(outcome.attempts == 2);
  CHECK(target.begins == 2);
  CHECK(target.received.size() == big_body.size());
  CHECK(target.received == big_body);
}

TEST_CASE("SDK http: a sink that refuses stops the download without a retry", "[unit][sdk_http]") {
  recording_sink target;
  target.limit = 256 * 1024;
  const auto outcome = download("/big", target);
  CHECK_FALSE(outcome.ok());
  CHECK(outcome.failure == http::failure_kind::refused);
  CHECK(outcome.attempts == 1);
  CHECK(target.received.size() <= target.limit);
}
