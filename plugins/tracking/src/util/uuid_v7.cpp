#include "uuid_v7.hpp"

#include <openssl/rand.h>

#include <stdexcept>

namespace mcpd::tracking {

std::string make_uuid_v7(std::chrono::system_clock::time_point now,
                         const std::array<std::uint8_t, 10>& random) {
  const auto millis = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
  std::array<std::uint8_t, 16> bytes{};
  for (int i = 0; i < 6; ++i)
    bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(millis >> (40 - 8 * i));
  for (std::size_t i = 0; i < random.size(); ++i) bytes[6 + i] = random[i];
  bytes[6] = static_cast<std::uint8_t>(0x70 | (bytes[6] & 0x0F));  // version 7
  bytes[8] = static_cast<std::uint8_t>(0x80 | (bytes[8] & 0x3F));  // variant 10

  static constexpr char hex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(hex[bytes[i] >> 4]);
    text.push_back(hex[bytes[i] & 0x0F]);
  }
  return text;
}

std::string new_uuid_v7() {
  // RFC 9562 asks for a cryptographically secure source: these are PostHog's deduplication keys, and a
  // seeded PRNG would give every thread and process one of only 2^32 streams.
  std::array<std::uint8_t, 10> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1)
    throw std::runtime_error("the system's random number generator (OpenSSL RAND_bytes) failed");
  return make_uuid_v7(std::chrono::system_clock::now(), random);
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace mcpd::tracking
