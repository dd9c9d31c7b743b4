// Raw bytes at mcpd's HTTP door: request line, headers (Host, Origin, Content-Length, Transfer-Encoding,
// Content-Encoding, Mcp-Session-Id, Authorization) and body, through cpp-httplib's parser, mcpd's connection
// guard, the request guard and the MCP endpoint, with the testkit plugin loaded and a bearer token set. One
// shared server on a loopback port; each input is sent on a fresh connection, which is then half-closed,
// and the answer is read until the server closes or a short deadline passes. The server must answer every
// input, and it must still answer a well-formed request afterwards.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "cli/server_setup.hpp"
#include "config/config.hpp"
#include "loader/load_probe.hpp"
#include "log/logger.hpp"
#include "transport/http/http_server.hpp"
#include "transport/http/http_settings.hpp"
#include "transport/http/listen_address.hpp"

namespace {

struct door {
  mcpd::cli::Server server;
  std::unique_ptr<mcpd::transport::http::HttpServer> http;
  int port = 0;
};

door& the_door() {
  static door instance = [] {
    mcpd::log::set_threshold(mcpd::log::Level::emergency);
    mcpd::loader::set_probe_executable(MCPD_FUZZ_MCPD_EXE);  // test-loads the plugin in a child first
    const boost::json::object document{
        {"server",
         {{"client_request_timeout_ms", 50}, {"shutdown_timeout_ms", 50}, {"max_message_bytes", 65536}}},
        {"plugins", {{"directories", boost::json::array{}}, {"files", {MCPD_FUZZ_PLUGIN}}, {"watch", false}}},
        {"http",
         {{"listen", "127.0.0.1:0"},
          {"header_timeout_ms", 200},
          {"body_timeout_ms", 200},
          {"auth", {{"bearer_tokens", {"fuzz-token"}}}}}}};
    const auto none = [](std::string_view) { return std::optional<std::string>(); };
    const auto config = mcpd::config::parse(boost::json::serialize(document), none);
    door d;
    d.server = mcpd::cli::start_server(config);
    if (!d.server.refused.empty()) std::abort();  // the fuzzer would test nothing without its plugin
    auto settings = mcpd::transport::http::parse_http_settings(config, none);
    std::string error;
    const auto address = mcpd::transport::http::parse_listen_address(settings.listen, error);
    if (!address) std::abort();
    d.http =
        std::make_unique<mcpd::transport::http::HttpServer>(*d.server.context, std::move(settings), *address);
    d.http->start();
    const std::string bound = d.http->address();
    d.port = std::atoi(bound.substr(bound.rfind(':') + 1).c_str());
    return d;
  }();
  return instance;
}

// Sends `bytes` on a new connection, half-closes it, and reads until the server closes, at most `budget`.
// Returns what was read.
std::string exchange(int port, std::string_view bytes, std::chrono::milliseconds budget) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return {};
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    ::shutdown(fd, SHUT_WR);
    const auto until = std::chrono::steady_clock::now() + budget;
    char buffer[4096];
    while (std::chrono::steady_clock::now() < until) {
      pollfd wait{fd, POLLIN, 0};
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (::poll(&wait, 1, static_cast<int>(left.count()) + 1) <= 0) break;
      const auto n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      answer.append(buffer, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return answer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& d = the_door();
  (void)exchange(d.port, std::string_view(reinterpret_cast<const char*>(data), size),
                 std::chrono::milliseconds(1000));
  // Whatever that was, the door still serves a well-formed request.
  static constexpr std::string_view health =
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  // A refused connection may linger for a moment and count against the per-client cap, so a busy
  // fuzzer retries for a while before it calls the door broken.
  for (int attempt = 0; attempt < 40; ++attempt) {
    if (exchange(d.port, health, std::chrono::milliseconds(5000)).starts_with("HTTP/1.1 200")) return 0;
    ::usleep(250'000);
  }
  __builtin_trap();
}
