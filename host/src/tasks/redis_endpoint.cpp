#include "tasks/redis_endpoint.hpp"

#include <charconv>
#include <stdexcept>

namespace mcpd::tasks {
namespace {

constexpr std::string_view kScheme = "redis://";
constexpr std::string_view kExpected = "expected redis://[:password@]host[:port][/db]";

// The spec as messages may quote it: everything between the scheme and the
// last '@' (where credentials are, even when written wrongly) becomes "***".
std::string masked(std::string_view spec) {
  const auto scheme_end = spec.find("://");
  const auto at = spec.rfind('@');
  if (scheme_end == std::string_view::npos || at == std::string_view::npos || at < scheme_end) {
    return std::string(spec);
  }
  return std::string(spec.substr(0, scheme_end + 3)) + "***" + std::string(spec.substr(at));
}

[[noreturn]] void refuse(std::string_view spec, std::string_view problem) {
  throw std::invalid_argument("tasks.store \"" + masked(spec) + "\": " + std::string(problem) + "; " +
                              std::string(kExpected));
}

template <typename Number>
std::optional<Number> parse_number(std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// URL userinfo is percent-encoded ("%40" for '@'); nullopt for a broken escape.
std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex_digit(text[i + 1]);
    const int low = hex_digit(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

}  // namespace

std::string RedisEndpoint::address() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string RedisEndpoint::describe() const {
  return "redis://" + address() + "/" + std::to_string(db);
}

RedisEndpoint parse_redis_endpoint(std::string_view spec) {
  if (spec.starts_with("rediss://")) refuse(spec, "TLS (rediss://) is not supported");
  if (!spec.starts_with(kScheme)) refuse(spec, "not a redis:// address");
  RedisEndpoint endpoint;
  std::string_view rest = spec.substr(kScheme.size());

  // Credentials end at the last '@', so a password holding '@' or '/' is still
  // taken as a password (and masked) rather than read as a host or a path.
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    rest.remove_prefix(at + 1);
    const auto colon = userinfo.find(':');
    if (colon == std::string_view::npos)
      refuse(spec, "credentials must be written :password@ or user:password@");
    const auto username = percent_decode(userinfo.substr(0, colon));
    const auto password = percent_decode(userinfo.substr(colon + 1));
    if (!username || !password) refuse(spec, "the credentials hold a broken %-escape");
    endpoint.username = *username;
    if (!password->empty()) endpoint.password = *password;
  }
  if (rest.find_first_of("?#") != std::string_view::npos) refuse(spec, "options (?...) are not supported");

  const auto slash = rest.find('/');
  std::string_view host_port = rest.substr(0, slash);
  const std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);

  std::string_view port_text;
  if (host_port.starts_with('[')) {
    const auto close = host_port.find(']');
    if (close == std::string_view::npos) refuse(spec, "an IPv6 address lacks its closing ']'");
    endpoint.host = std::string(host_port.substr(1, close - 1));
    const std::string_view after = host_port.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) refuse(spec, "unexpected text after the IPv6 address");
    if (!after.empty()) port_text = after.substr(1);
    if (after == ":") refuse(spec, "the port is empty");
  } else {
    const auto colon = host_port.find(':');
    if (colon != std::string_view::npos && host_port.find(':', colon + 1) != std::string_view::npos) {
      refuse(spec, "an IPv6 address must be written in brackets, e.g. redis://[::1]:6379");
    }
    endpoint.host = std::string(host_port.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = host_port.substr(colon + 1);
      if (port_text.empty()) refuse(spec, "the port is empty");
    }
  }
  if (endpoint.host.empty()) refuse(spec, "the host is missing");
  if (!port_text.empty()) {
    const auto port = parse_number<unsigned>(port_text);
    if (!port || *port == 0 || *port > 65535) refuse(spec, "the port must be a number from 1 to 65535");
    endpoint.port = static_cast<std::uint16_t>(*port);
  }
  if (!path.empty()) {
    const auto db = parse_number<unsigned>(path);
    if (!db || *db > 1'000'000) refuse(spec, "the database (after '/') must be a number such as 0");
    endpoint.db = *db;
  }
  return endpoint;
}

}  // namespace mcpd::tasks
