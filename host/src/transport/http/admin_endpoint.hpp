#pragma once
// The operator's door into a running mcpd: GET /admin/plugins (loaded
// versions, refusals, retired-but-resident versions) and POST
// /admin/plugins/reload (rescan every plugin file now; answers what changed).
// It has a token of its own (http.admin_token / MCPD_ADMIN_TOKEN), separate
// from the MCP clients' tokens, and is off (404) without one.
#include <httplib.h>

#include <string>

#include "protocol/server_context.hpp"
#include "transport/http/bearer_auth.hpp"

namespace mcpd::transport::http {

inline constexpr const char* kAdminPluginsPath = "/admin/plugins";
inline constexpr const char* kAdminReloadPath = "/admin/plugins/reload";

class AdminEndpoint {
 public:
  AdminEndpoint(protocol::ServerContext& context, const std::string& admin_token);

  void plugins(const httplib::Request& req, httplib::Response& res);
  void reload(const httplib::Request& req, httplib::Response& res);

 private:
  // False when `res` already holds the refusal.
  bool admitted(const httplib::Request& req, httplib::Response& res) const;

  protocol::ServerContext& context_;
  BearerAuth auth_;
};

}  // namespace mcpd::transport::http
