#include "transport/http/bearer_auth.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cctype>

namespace mcpd::transport::http {

BearerAuth::BearerAuth(const std::vector<std::string>& tokens) {
  for (const auto& token : tokens) digests_.push_back(digest(token));
}

BearerAuth::Digest BearerAuth::digest(std::string_view token) {
  Digest out{};
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), out.data());
  return out;
}

BearerAuth::Verdict BearerAuth::check(std::string_view authorization) const {
  // RFC 6750: "Bearer" (case-insensitive), one or more spaces, the token.
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size())
    return authorization.empty() ? Verdict::missing : Verdict::invalid;
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return Verdict::invalid;
  std::string_view token = authorization.substr(kScheme.size());
  if (token.empty() || token.front() != ' ') return Verdict::invalid;
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return Verdict::invalid;
  const Digest presented = digest(token);
  int matched = 0;
  // Every digest is compared, whatever matched before.
  for (const auto& expected : digests_)
    matched |= CRYPTO_memcmp(presented.data(), expected.data(), expected.size()) == 0 ? 1 : 0;
  return matched != 0 ? Verdict::accepted : Verdict::invalid;
}

std::string principal_of(std::string_view authorization) {
  // The token alone names the caller: "Bearer tok", "bearer  tok" and "Bearer tok " are one caller, as
  // check() accepts them all.
  auto trim = [](std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
  };
  std::string_view token = trim(authorization);
  constexpr std::string_view kScheme = "bearer";
  bool bearer =
      token.size() > kScheme.size() && (token[kScheme.size()] == ' ' || token[kScheme.size()] == '\t');
  for (std::size_t i = 0; bearer && i < kScheme.size(); ++i)
    bearer = std::tolower(static_cast<unsigned char>(token[i])) == kScheme[i];
  if (bearer) token = trim(token.substr(kScheme.size()));
  if (token.empty()) return {};
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "token:";
  for (unsigned char byte : digest) {
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
  }
  return out;
}

}  // namespace mcpd::transport::http
