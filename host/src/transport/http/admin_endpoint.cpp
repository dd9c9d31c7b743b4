#include "transport/http/admin_endpoint.hpp"

#include <boost/json.hpp>

#include "log/logger.hpp"
#include "transport/http/http_reply.hpp"

namespace mcpd::transport::http {

AdminEndpoint::AdminEndpoint(protocol::ServerContext& context, const std::string& admin_token)
    : context_(context), auth_(admin_token.empty() ? std::vector<std::string>{} : std::vector{admin_token}) {}

bool AdminEndpoint::admitted(const httplib::Request& req, httplib::Response& res) const {
  if (!auth_.enabled()) {
    reply_error(
        res, 404, kTransportError,
        "Not Found: the admin endpoint is off; set http.admin_token (or MCPD_ADMIN_TOKEN) to turn it on");
    return false;
  }
  const auto verdict = auth_.check(req.get_header_value("Authorization"));
  if (verdict != BearerAuth::Verdict::accepted) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"mcpd-admin\"");
    reply_error(res, 401, kTransportError,
                verdict == BearerAuth::Verdict::missing
                    ? "Unauthorized: the admin endpoint requires \"Authorization: Bearer <admin token>\""
                    : "Unauthorized: this is not the admin token (http.admin_token)");
    return false;
  }
  if (!context_.plugin_admin) {
    reply_error(res, 503, kTransportError, "Service Unavailable: this server has no plugin administration");
    return false;
  }
  return true;
}

void AdminEndpoint::plugins(const httplib::Request& req, httplib::Response& res) {
  if (!admitted(req, res)) return;
  res.set_content(boost::json::serialize(context_.plugin_admin->plugin_state()) + "\n", "application/json");
}

void AdminEndpoint::reload(const httplib::Request& req, httplib::Response& res) {
  if (!admitted(req, res)) return;
  log::info("plugin reload requested through the admin endpoint", {{"client", req.remote_addr}});
  res.set_content(boost::json::serialize(context_.plugin_admin->reload_plugins("admin")) + "\n",
                  "application/json");
}

}  // namespace mcpd::transport::http
