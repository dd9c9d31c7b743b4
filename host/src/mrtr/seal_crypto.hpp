#pragma once
// The OpenSSL primitives the requestState seal is made of, each behind one call, so state_seal.cpp reads
// as the token format and its checks. Every function throws std::runtime_error when OpenSSL itself fails
// (out of memory, no provider); a failed authentication is not such a failure.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace mcpd::mrtr::detail {

// `count` bytes from OpenSSL's CSPRNG.
std::string random_bytes(std::size_t count);

// 32 bytes of HKDF-SHA256 (RFC 5869) from `key`, for the purpose `info`; a fixed salt.
std::string hkdf_sha256(std::string_view key, std::string_view info);

// HMAC-SHA256 (32 bytes) of the concatenation of `parts`.
std::string hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts);

// AES-256-GCM of `plain` with a 12-byte `iv`, authenticating `aad` too: ciphertext followed by the 16-byte
// tag.
std::string aes_gcm_seal(std::string_view key, std::string_view iv, std::string_view aad,
                         std::string_view plain);

// The plaintext of aes_gcm_seal's output, or nullopt when the tag does not match (altered, or another key,
// IV or AAD).
std::optional<std::string> aes_gcm_open(std::string_view key, std::string_view iv, std::string_view aad,
                                        std::string_view sealed);

}  // namespace mcpd::mrtr::detail
