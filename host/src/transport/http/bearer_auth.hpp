#pragma once
// Bearer-token authorization for the HTTP transport. Tokens are kept only as
// SHA-256 digests and a presented token is compared against every one of
// them with CRYPTO_memcmp, so neither the comparison time nor the token's
// length tells an attacker anything.
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::transport::http {

class BearerAuth {
 public:
  explicit BearerAuth(const std::vector<std::string>& tokens);

  bool enabled() const { return !digests_.empty(); }

  enum class Verdict { accepted, missing, invalid };
  // `authorization`: the Authorization header, empty when absent.
  Verdict check(std::string_view authorization) const;

 private:
  using Digest = std::array<unsigned char, 32>;
  static Digest digest(std::string_view token);
  std::vector<Digest> digests_;
};

// Who a request comes from, for binding tasks and sealed requestStates to
// their caller: "token:" and a digest of its Authorization header, or ""
// (anonymous) without one. The token itself is never kept.
std::string principal_of(std::string_view authorization);

}  // namespace mcpd::transport::http
