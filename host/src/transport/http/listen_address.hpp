#pragma once
// "HOST:PORT" as written after --http, in http.listen or MCPD_HTTP_LISTEN.
#include <optional>
#include <string>
#include <string_view>

namespace mcpd::transport::http {

struct ListenAddress {
  std::string host;  // as passed to bind(): "127.0.0.1", "::1", "0.0.0.0", "localhost"
  int port = 0;      // 0: the kernel picks a free port

  // "127.0.0.1:8080", "[::1]:8080" (IPv6 hosts in brackets).
  std::string to_string() const;
};

// Accepts "HOST:PORT", "[IPV6]:PORT" and a bare "PORT" (loopback). nullopt
// with `error` set to a sentence saying what is wrong otherwise.
std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string& error);

}  // namespace mcpd::transport::http
