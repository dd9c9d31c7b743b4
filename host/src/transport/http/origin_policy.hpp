#pragma once
// DNS-rebinding protection: the Host and Origin headers checked against
// allow-lists. An entry without a port allows every port of that host
// ("localhost" allows "localhost:43121"); an entry with a port allows only
// that one; "*" allows everything.
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::transport::http {

class OriginPolicy {
 public:
  // hosts: "localhost", "127.0.0.1:8080", "[::1]". origins: "http://localhost",
  // "https://app.example.com:8443".
  OriginPolicy(std::vector<std::string> allowed_hosts, std::vector<std::string> allowed_origins);

  // A request without a Host header (HTTP/1.0) is not refused: rebinding
  // attacks come from browsers, which always send one.
  bool host_allowed(std::string_view host_header) const;
  // Called only when an Origin header is present.
  bool origin_allowed(std::string_view origin) const;

 private:
  std::vector<std::string> hosts_;
  std::vector<std::string> origins_;
};

}  // namespace mcpd::transport::http
