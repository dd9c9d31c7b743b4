#pragma once
// The checks every HTTP request passes before it reaches a handler: no token
// in the query string, header size, Host and Origin allow-lists (DNS
// rebinding), CORS for allowed origins, and bearer authorization.
#include <httplib.h>

#include <string>

#include "transport/http/bearer_auth.hpp"
#include "transport/http/http_settings.hpp"
#include "transport/http/origin_policy.hpp"

namespace mcpd::transport::http {

class RequestGuard {
 public:
  // Which door a request knocks on decides which checks apply: /healthz is
  // open to probes, /.well-known is public metadata, /admin checks its own
  // token (http.admin_token), the rest needs a token when tokens are configured.
  enum class Door { endpoint, metrics, health, well_known, admin };

  RequestGuard(const HttpSettings& settings, bool tls);

  // True: go on. False: `res` already holds the refusal.
  bool admit(const httplib::Request& req, httplib::Response& res, Door door) const;
  // A CORS preflight (OPTIONS) for the endpoint: 204 with what may be sent.
  void preflight(const httplib::Request& req, httplib::Response& res) const;

  bool auth_enabled() const { return auth_.enabled(); }
  // "<scheme>://<host>" as the client reached us, or http.public_url.
  std::string base_url(const httplib::Request& req) const;
  std::string resource_metadata_url(const httplib::Request& req) const;

 private:
  bool check_common(const httplib::Request& req, httplib::Response& res, Door door) const;

  const HttpSettings& settings_;
  const bool tls_;
  OriginPolicy origins_;
  BearerAuth auth_;
};

}  // namespace mcpd::transport::http
