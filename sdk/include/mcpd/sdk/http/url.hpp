// mcpd::sdk::http URL pieces: percent-encoding, request paths built from untrusted parameters, query
// strings, and the base URL an operator configures.
#ifndef MCPD_SDK_HTTP_URL_HPP
#define MCPD_SDK_HTTP_URL_HPP

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace mcpd::sdk::http {

namespace detail {

inline bool is_unreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

inline void append_percent_encoded(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0x0F]);
    }
  }
}

}  // namespace detail

/// RFC 3986 percent-encoding of everything except the unreserved characters (A-Z a-z 0-9 - . _ ~).
/// Safe for a path segment and for a query name or value: '/', '?', '#', '%', '&', '=' and spaces are all
/// encoded, so the text can never add a segment, start a query or end a parameter.
inline std::string percent_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  detail::append_percent_encoded(out, text);
  return out;
}

/// A request path assembled from trusted literal parts and untrusted parameters.
///
///   http::path("/api/projects").segment(project_id).literal("/session_recordings").segment(id).slash()
///
/// A parameter always stays one path segment: "../../x" becomes "..%2F..%2Fx" and "a?b" becomes "a%3Fb".
/// Parameters that are empty, "." or ".." are refused (std::invalid_argument), because URL parsers treat
/// those as a different path whatever their encoding.
class path {
 public:
  explicit path(std::string_view literal_prefix = {}) : text_(literal_prefix) {}

  /// Appends "/" and the percent-encoded parameter.
  path& segment(std::string_view parameter) {
    if (parameter.empty() || parameter == "." || parameter == "..") {
      throw std::invalid_argument("a path parameter cannot be empty, \".\" or \"..\"");
    }
    text_.push_back('/');
    detail::append_percent_encoded(text_, parameter);
    return *this;
  }
  path& segment(long long number) { return segment(std::to_string(number)); }
  /// Appends trusted text as is, e.g. "/query".
  path& literal(std::string_view text) {
    text_.append(text);
    return *this;
  }
  /// Appends the trailing "/" that Django-style APIs expect.
  path& slash() {
    text_.push_back('/');
    return *this;
  }

  const std::string& str() const noexcept { return text_; }

 private:
  std::string text_;
};

/// name=value pairs joined with '&', each side percent-encoded. Empty when nothing was added.
class query {
 public:
  query() = default;
  query(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
    for (const auto& [name, value] : pairs) add(name, value);
  }

  query& add(std::string_view name, std::string_view value) {
    if (!text_.empty()) text_.push_back('&');
    detail::append_percent_encoded(text_, name);
    text_.push_back('=');
    detail::append_percent_encoded(text_, value);
    return *this;
  }
  /// A parameter without a value, e.g. "send_cohorts".
  query& flag(std::string_view name) {
    if (!text_.empty()) text_.push_back('&');
    detail::append_percent_encoded(text_, name);
    return *this;
  }

  bool empty() const noexcept { return text_.empty(); }
  const std::string& str() const noexcept { return text_; }

 private:
  std::string text_;
};

/// `path` followed by "?query" when the query is not empty.
inline std::string target(const path& p, const query& q = {}) {
  return q.empty() ? p.str() : p.str() + "?" + q.str();
}

/// An operator-configured base URL taken apart: "https://posthog.example.com:8443/analytics/" gives
/// origin "https://posthog.example.com:8443" and path_prefix "/analytics".
struct base_url {
  std::string origin;       // scheme://host[:port], what an HTTP client connects to
  std::string path_prefix;  // "" or "/..." without trailing slash, prepended to every request path
};

/// Parses an http(s) base URL. nullopt (with `why` set) for another scheme, a missing host, user
/// credentials in the URL, or a query or fragment.
inline std::optional<base_url> parse_base_url(std::string_view url, std::string* why = nullptr) {
  auto fail = [&](std::string reason) -> std::optional<base_url> {
    if (why != nullptr) *why = std::move(reason);
    return std::nullopt;
  };
  std::size_t scheme_end = 0;
  if (url.starts_with("https://")) {
    scheme_end = 8;
  } else if (url.starts_with("http://")) {
    scheme_end = 7;
  } else {
    return fail("must start with http:// or https://");
  }
  const std::size_t authority_end = url.find_first_of("/?#", scheme_end);
  const std::string_view authority =
      url.substr(scheme_end, authority_end == std::string_view::npos ? url.npos : authority_end - scheme_end);
  if (authority.empty()) return fail("has no host name");
  if (authority.find('@') != std::string_view::npos) {
    return fail("must not contain user credentials (put keys in their own settings)");
  }
  std::string_view rest =
      authority_end == std::string_view::npos ? std::string_view{} : url.substr(authority_end);
  if (rest.find_first_of("?#") != std::string_view::npos) return fail("must not contain a query or fragment");
  while (rest.ends_with('/')) rest.remove_suffix(1);
  return base_url{std::string(url.substr(0, scheme_end)) + std::string(authority), std::string(rest)};
}

}  // namespace mcpd::sdk::http

#endif  // MCPD_SDK_HTTP_URL_HPP
