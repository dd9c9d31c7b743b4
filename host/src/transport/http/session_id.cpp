#include "transport/http/session_id.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace mcpd::transport::http {

std::string new_session_id(std::string_view prefix) {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("OpenSSL RAND_bytes failed: cannot create a session id");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(prefix);
  id.reserve(prefix.size() + bytes.size() * 2);
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 0x0f]);
  }
  return id;
}

std::string loggable_session_id(std::string_view id) {
  return std::string(id.substr(0, 8)) + (id.size() > 8 ? "..." : "");
}

}  // namespace mcpd::transport::http
