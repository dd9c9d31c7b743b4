#include "transport/http/request_guard.hpp"

#include <cctype>
#include <string_view>

#include "transport/http/http_reply.hpp"

namespace mcpd::transport::http {

namespace {

constexpr const char* kExposedHeaders = "Mcp-Session-Id, MCP-Protocol-Version, WWW-Authenticate";
constexpr const char* kAllowedRequestHeaders =
    "Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID";

std::size_t header_bytes(const httplib::Request& req) {
  // The request line plus "Name: value\r\n" for every header.
  std::size_t total = req.method.size() + req.target.size() + req.version.size() + 4;
  for (const auto& [name, value] : req.headers) total += name.size() + value.size() + 4;
  return total;
}

}  // namespace

RequestGuard::RequestGuard(const HttpSettings& settings, bool tls)
    : settings_(settings),
      tls_(tls),
      origins_(settings.allowed_hosts, settings.allowed_origins),
      auth_(settings.auth.bearer_tokens) {}

std::string RequestGuard::base_url(const httplib::Request& req) const {
  if (!settings_.public_url.empty()) return settings_.public_url;
  std::string host;
  // Only characters a host and port can hold: the value ends up inside a
  // quoted WWW-Authenticate parameter and a JSON document.
  for (char c : req.get_header_value("Host"))
    if (std::isalnum(static_cast<unsigned char>(c)) ||
        std::string_view(".-_:[]").find(c) != std::string_view::npos)
      host.push_back(c);
  if (host.empty()) host = req.local_addr + ":" + std::to_string(req.local_port);
  return (tls_ ? "https://" : "http://") + host;
}

std::string RequestGuard::resource_metadata_url(const httplib::Request& req) const {
  return base_url(req) + "/.well-known/oauth-protected-resource";
}

bool RequestGuard::check_common(const httplib::Request& req, httplib::Response& res, Door door) const {
  // RFC 6750 allows tokens in the URI; MCP forbids it: URIs end up in logs.
  if (req.has_param("access_token")) {
    reply_error(res, 400, kTransportError,
                "Bad Request: access tokens in the query string are refused; send the header "
                "\"Authorization: Bearer <token>\" instead");
    return false;
  }
  if (header_bytes(req) > settings_.max_header_bytes) {
    reply_error(res, 431, kTransportError,
                "Request Header Fields Too Large: the request line and headers exceed " +
                    std::to_string(settings_.max_header_bytes) + " bytes (http.max_header_bytes)");
    return false;
  }
  if (door == Door::health) return true;
  if (!origins_.host_allowed(req.get_header_value("Host"))) {
    reply_error(res, 403, kTransportError,
                "Forbidden: Host " + quoted_header(req.get_header_value("Host")) +
                    " is not allowed (DNS rebinding protection); add it to http.allowed_hosts");
    return false;
  }
  if (req.has_header("Origin")) {
    const std::string origin = req.get_header_value("Origin");
    if (door == Door::well_known) {
      res.set_header("Access-Control-Allow-Origin", "*");
    } else if (!origins_.origin_allowed(origin)) {
      reply_error(res, 403, kTransportError,
                  "Forbidden: Origin " + quoted_header(origin) +
                      " is not allowed (DNS rebinding protection); add it to http.allowed_origins");
      return false;
    } else {
      res.set_header("Access-Control-Allow-Origin", origin);
      res.set_header("Vary", "Origin");
      res.set_header("Access-Control-Expose-Headers", kExposedHeaders);
    }
  }
  return true;
}

bool RequestGuard::admit(const httplib::Request& req, httplib::Response& res, Door door) const {
  if (!check_common(req, res, door)) return false;
  if (!auth_.enabled() || door == Door::health || door == Door::well_known || door == Door::admin)
    return true;
  const auto verdict = auth_.check(req.get_header_value("Authorization"));
  if (verdict == BearerAuth::Verdict::accepted) return true;
  std::string challenge = "Bearer resource_metadata=\"" + resource_metadata_url(req) + "\"";
  if (verdict == BearerAuth::Verdict::invalid)
    challenge += ", error=\"invalid_token\", error_description=\"the bearer token is not valid\"";
  res.set_header("WWW-Authenticate", challenge);
  reply_error(res, 401, kTransportError,
              verdict == BearerAuth::Verdict::missing
                  ? "Unauthorized: this server requires \"Authorization: Bearer <token>\""
                  : "Unauthorized: the bearer token is not valid");
  return false;
}

void RequestGuard::preflight(const httplib::Request& req, httplib::Response& res) const {
  if (!check_common(req, res, Door::endpoint)) return;
  res.status = 204;
  res.set_header("Allow", "GET, POST, DELETE, OPTIONS");
  if (req.has_header("Origin")) {
    res.set_header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
    res.set_header("Access-Control-Allow-Headers", kAllowedRequestHeaders);
    res.set_header("Access-Control-Max-Age", "600");
  }
}

}  // namespace mcpd::transport::http
