#include "flag_hash.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>
#include <string>

namespace mcpd::tracking {

std::uint64_t flag_hash_bits(std::string_view flag_key, std::string_view bucketing_id,
                             std::string_view salt) {
  std::string input;
  input.reserve(flag_key.size() + 1 + bucketing_id.size() + salt.size());
  input.append(flag_key).append(".").append(bucketing_id).append(salt);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &length, EVP_sha1(), nullptr) != 1 ||
      length < 8) {
    throw std::runtime_error("SHA-1 is not available from OpenSSL");
  }
  std::uint64_t first_64_bits = 0;
  for (std::size_t i = 0; i < 8; ++i) first_64_bits = (first_64_bits << 8) | digest[i];
  return first_64_bits >> 4;  // 15 hex digits = 60 bits
}

double flag_hash(std::string_view flag_key, std::string_view bucketing_id, std::string_view salt) {
  // Python divides the two integers with one correct rounding. long double holds both exactly (60 bits),
  // so the quotient is rounded twice (to 64 then 53 bits); that can differ from Python's in the last bit
  // only, far below the 0.0001 steps of a rollout percentage with two decimals.
  const long double bits = static_cast<long double>(flag_hash_bits(flag_key, bucketing_id, salt));
  return static_cast<double>(bits / static_cast<long double>(flag_hash_long_scale));
}

}  // namespace mcpd::tracking
