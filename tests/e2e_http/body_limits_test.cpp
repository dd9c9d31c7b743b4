// Bodies are bounded before they are read, inflated or authenticated
// (defect M8/5): a gzip bomb, a chunked body larger than the limit, a chunked
// upload that never ends, a body sent to a path that is not served, and a
// body from a client without a token. Each is answered at once with a small
// memory footprint, where cpp-httplib alone read (and inflated) the whole
// body first.
#include <zlib.h>
#include <catch2/catch.hpp>

#include <thread>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"
#include "raw_connection.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// gzip of `inflated` zero bytes: about inflated / 1000 bytes.
std::string gzip_of_zeros(std::size_t inflated) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string zeros(1u << 20, '\0');
  std::string out;
  char buffer[1 << 16];
  for (std::size_t fed = 0; fed < inflated; fed += zeros.size()) {
    z.next_in = reinterpret_cast<Bytef*>(zeros.data());
    z.avail_in = static_cast<uInt>(zeros.size());
    const int flush = fed + zeros.size() >= inflated ? Z_FINISH : Z_NO_FLUSH;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buffer);
      z.avail_out = sizeof buffer;
      deflate(&z, flush);
      out.append(buffer, sizeof buffer - z.avail_out);
    } while (z.avail_out == 0);
  }
  deflateEnd(&z);
  return out;
}

std::string post_head(const std::string& path, const std::string& extra_headers) {
  return "POST " + path +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Accept: application/json, text/event-stream\r\n" +
         extra_headers + "\r\n";
}

std::string chunk(const std::string& data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + data + "\r\n";
}

}  // namespace

TEST_CASE("a gzip bomb gets 413 at once and is never inflated whole", "[e2e_http][limits][body]") {
  // 1 GiB of zeros in about 1 MiB of gzip; the limit is the default 16 MiB.
  static const std::string bomb = gzip_of_zeros(std::size_t(1) << 30);
  McpdHttpServer server;
  const long rss_before = resident_kib_at_rest(server.process().pid());

  RawConnection connection(server.port());
  const auto started = Clock::now();
  connection.send(
      post_head("/mcp", "Content-Encoding: gzip\r\nContent-Length: " + std::to_string(bomb.size()) + "\r\n"));
  connection.send(bomb);  // may stop early: the server stops reading
  const std::string head = connection.read_head(30000ms);
  const auto elapsed = Clock::now() - started;
  INFO(head);
  CHECK(RawConnection::status_of(head) == 413);
  CHECK(head.find("http.max_body_bytes") != std::string::npos);
  CHECK(elapsed < 10s);  // inflating it all took 70-80 s
  const long rss_after = resident_kib(server.process().pid());
  INFO("RSS before " << rss_before << " KiB, after " << rss_after << " KiB");
  CHECK(rss_after - rss_before < rss_growth_bound_kib(100 * 1024));  // inflating it all took 1 GiB

  // The server still serves.
  McpHttpClient client(server.base_url());
  CHECK_NOTHROW(client.initialize());
}

TEST_CASE("a body sent to a path that is not served is neither read nor inflated",
          "[e2e_http][limits][body]") {
  static const std::string bomb = gzip_of_zeros(std::size_t(512) << 20);
  McpdHttpServer server;
  const long rss_before = resident_kib_at_rest(server.process().pid());
  RawConnection connection(server.port());
  connection.send(post_head(
      "/nowhere", "Content-Encoding: gzip\r\nContent-Length: " + std::to_string(bomb.size()) + "\r\n"));
  connection.send(bomb.substr(0, 64 * 1024));
  const std::string head = connection.read_head(5000ms);
  INFO(head);
  CHECK(RawConnection::status_of(head) == 404);
  CHECK(head.find("Connection: close") != std::string::npos);
  CHECK(resident_kib(server.process().pid()) - rss_before < rss_growth_bound_kib(50 * 1024));
}

TEST_CASE("a chunked body larger than http.max_body_bytes gets 413 before it is read whole",
          "[e2e_http][limits][body]") {
  ServerOptions options;
  options.http["max_body_bytes"] = 1 << 20;
  McpdHttpServer server(options);
  RawConnection connection(server.port());
  REQUIRE(connection.send(post_head("/mcp", "Transfer-Encoding: chunked\r\n")));

  // Up to 100 MiB, stopping as soon as the server has answered.
  const std::string piece = chunk(std::string(64 * 1024, ' '));
  std::size_t sent = 0;
  std::string head;
  while (sent < (std::size_t(100) << 20)) {
    if (!connection.send(piece, 2000ms)) break;
    sent += piece.size();
    head = connection.read_head(0ms);
    if (!head.empty()) break;
  }
  head = connection.read_head(10000ms, head);  // the rest of it
  INFO(head);
  INFO("sent " << sent << " bytes");
  CHECK(RawConnection::status_of(head) == 413);  // was 400, after reading all of it
  CHECK(head.find("http.max_body_bytes") != std::string::npos);
  CHECK(sent < (std::size_t(40) << 20));
}

TEST_CASE("a chunked upload that never ends gets 408 at http.body_timeout_ms", "[e2e_http][limits][body]") {
  ServerOptions options;
  options.http["body_timeout_ms"] = 1500;
  McpdHttpServer server(options);
  RawConnection connection(server.port());
  REQUIRE(connection.send(post_head("/mcp", "Transfer-Encoding: chunked\r\n")));
  const auto started = Clock::now();
  std::string head;
  // A few bytes every 100 ms: never idle long enough for a read timeout.
  while (Clock::now() - started < 20s) {
    if (!connection.send(chunk("          "), 1000ms)) break;
    head = connection.read_head(100ms);
    if (!head.empty()) break;
  }
  head = connection.read_head(5000ms, head);  // the rest of it
  const auto elapsed = Clock::now() - started;
  INFO(head);
  CHECK(RawConnection::status_of(head) == 408);
  CHECK(head.find("http.body_timeout_ms") != std::string::npos);
  CHECK(elapsed < 10s);
}

TEST_CASE("a client without a token is refused before its body is read", "[e2e_http][limits][body]") {
  ServerOptions options;
  options.environment = {"MCPD_HTTP_BEARER_TOKENS=the-token"};
  McpdHttpServer server(options);
  RawConnection connection(server.port());
  // Announces 10 MiB and sends none of it: the answer cannot wait for the body.
  REQUIRE(connection.send(post_head("/mcp", "Content-Length: 10485760\r\n")));
  const auto started = Clock::now();
  const std::string head = connection.read_head(5000ms);
  INFO(head);
  CHECK(RawConnection::status_of(head) == 401);
  // Waiting for the body would take http.body_timeout_ms (60 s); the answer comes at once (a few seconds at
  // worst, under ThreadSanitizer on a loaded machine).
  CHECK(Clock::now() - started < 10s);
}

TEST_CASE("limit refusals are counted in /metrics", "[e2e_http][limits][body]") {
  ServerOptions options;
  options.http["max_body_bytes"] = 1024;
  McpdHttpServer server(options);
  McpHttpClient client(server.base_url());
  auto refused = client.post_raw(std::string(4096, ' '), {{"Content-Type", "application/json"}});
  CHECK(refused.status == 413);
  auto metrics = client.get("/metrics");
  CHECK(metrics.body.find("mcpd_http_refusals_total{reason=\"body_too_large\"} 1") != std::string::npos);
}

TEST_CASE("a refused client that asks \"Expect: 100-continue\" is refused, not invited to send its body",
          "[e2e_http][limits][body]") {
  ServerOptions options;
  options.environment = {"MCPD_HTTP_BEARER_TOKENS=the-token"};
  McpdHttpServer server(options);
  RawConnection connection(server.port());
  REQUIRE(connection.send(post_head("/mcp", "Content-Length: 10485760\r\nExpect: 100-continue\r\n")));
  const std::string head = connection.read_head(5000ms);
  INFO(head);
  CHECK(RawConnection::status_of(head) == 401);

  RawConnection admitted(server.port());
  REQUIRE(admitted.send(
      post_head("/mcp", "Authorization: Bearer the-token\r\nContent-Length: 2\r\nExpect: 100-continue\r\n")));
  CHECK(RawConnection::status_of(admitted.read_head(5000ms)) == 100);
}
