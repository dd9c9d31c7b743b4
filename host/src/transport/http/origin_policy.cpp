#include "transport/http/origin_policy.hpp"

#include <algorithm>
#include <cctype>

namespace mcpd::transport::http {

namespace {

std::string lowercase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

struct HostPort {
  std::string host;  // IPv6 keeps its brackets
  std::string port;  // empty when absent
};

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A registered name or IPv4 address: letters, digits, '-', '.', '_'. Nothing
// that could make a URL parser see another host ('@' of userinfo, '/', '\\').
bool plain_host_name(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
  });
}

bool ipv6_literal(std::string_view inside_brackets) {
  return !inside_brackets.empty() && std::all_of(inside_brackets.begin(), inside_brackets.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
  });
}

// "example.com:8080", "[::1]:8080", "localhost". A value that is not exactly
// host[:port] (a port that is not a number, as in "localhost:80@evil.example",
// userinfo, a path) is unusable: empty host, which matches nothing.
HostPort split_host_port(std::string_view text) {
  HostPort out;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || !ipv6_literal(text.substr(1, close - 1))) return HostPort{};
    out.host = lowercase(text.substr(0, close + 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return HostPort{};
      port = rest.substr(1);
    }
  } else {
    const auto colon = text.rfind(':');
    const std::string_view name = colon == std::string_view::npos ? text : text.substr(0, colon);
    if (!plain_host_name(name)) return HostPort{};
    out.host = lowercase(name);
    if (colon != std::string_view::npos) port = text.substr(colon + 1);
  }
  if (!all_digits(port) || port.size() > 5) return HostPort{};
  out.port = std::string(port);
  return out;
}

bool matches(const HostPort& allowed, const HostPort& actual) {
  if (actual.host.empty() || allowed.host != actual.host) return false;
  return allowed.port.empty() || allowed.port == actual.port;
}

}  // namespace

OriginPolicy::OriginPolicy(std::vector<std::string> allowed_hosts, std::vector<std::string> allowed_origins)
    : hosts_(std::move(allowed_hosts)), origins_(std::move(allowed_origins)) {}

bool OriginPolicy::host_allowed(std::string_view host_header) const {
  if (host_header.empty()) return true;
  const HostPort actual = split_host_port(host_header);
  return std::any_of(hosts_.begin(), hosts_.end(), [&](const std::string& entry) {
    return entry == "*" || matches(split_host_port(entry), actual);
  });
}

bool OriginPolicy::origin_allowed(std::string_view origin) const {
  const auto scheme_end = origin.find("://");
  const std::string scheme =
      scheme_end == std::string_view::npos ? "" : lowercase(origin.substr(0, scheme_end));
  const HostPort actual =
      scheme_end == std::string_view::npos ? HostPort{} : split_host_port(origin.substr(scheme_end + 3));
  return std::any_of(origins_.begin(), origins_.end(), [&](const std::string& entry) {
    if (entry == "*") return true;
    if (entry == origin) return true;  // e.g. "null", when an operator really wants it
    const auto entry_scheme_end = entry.find("://");
    if (entry_scheme_end == std::string::npos || scheme.empty()) return false;
    if (lowercase(std::string_view(entry).substr(0, entry_scheme_end)) != scheme) return false;
    return matches(split_host_port(std::string_view(entry).substr(entry_scheme_end + 3)), actual);
  });
}

}  // namespace mcpd::transport::http
