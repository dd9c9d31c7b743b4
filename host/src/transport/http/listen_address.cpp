#include "transport/http/listen_address.hpp"

#include <charconv>

namespace mcpd::transport::http {

std::string ListenAddress::to_string() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

namespace {

std::optional<int> parse_port(std::string_view text) {
  int port = -1;
  if (text.empty() || text.size() > 5) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port < 0 || port > 65535) return std::nullopt;
  return port;
}

}  // namespace

std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string& error) {
  const std::string shown = "\"" + std::string(text) + "\"";
  const std::string usage = " (expected HOST:PORT such as 127.0.0.1:8080, [::1]:8080, or a bare port)";
  if (text.empty()) {
    error = "the listen address is empty" + usage;
    return std::nullopt;
  }
  ListenAddress address;
  std::string_view port_text;
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      error = "listen address " + shown + " has an IPv6 host without \"]:PORT\"" + usage;
      return std::nullopt;
    }
    address.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else if (const auto colon = text.rfind(':'); colon == std::string_view::npos) {
    address.host = "127.0.0.1";
    port_text = text;
  } else {
    address.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (address.host.find(':') != std::string::npos) {
      error = "listen address " + shown + " looks like an IPv6 address: put the host in brackets" + usage;
      return std::nullopt;
    }
  }
  if (address.host.empty()) {
    error = "listen address " + shown + " has no host" + usage;
    return std::nullopt;
  }
  const auto port = parse_port(port_text);
  if (!port) {
    error = "listen address " + shown + " has no valid port (0 to 65535; 0 picks a free one)" + usage;
    return std::nullopt;
  }
  address.port = *port;
  return address;
}

}  // namespace mcpd::transport::http
