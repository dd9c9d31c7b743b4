#pragma once
// Ed25519 keys for plugin signatures, on OpenSSL's EVP interface (PureEdDSA:
// the whole message is signed in one call, no pre-hashing by OpenSSL).
//
// Text forms: a public key is the base64 of its 32 raw bytes (what
// plugins.trusted_keys lists); a private key is a PKCS#8 PEM file. A key id is
// the first 16 hex digits of the SHA-256 of the raw public key, short enough to
// read in logs and long enough to tell keys apart.
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;

namespace mcpd::trust {

struct TrustError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Ed25519Signature = std::array<std::uint8_t, 64>;

struct PublicKey {
  std::array<std::uint8_t, 32> raw{};

  std::string to_text() const;  // base64
  std::string key_id() const;
  // nullopt with `error` set when `text` is not the base64 of 32 bytes.
  static std::optional<PublicKey> from_text(std::string_view text, std::string& error);
  bool operator==(const PublicKey&) const = default;
};

class PrivateKey {
 public:
  static PrivateKey generate();
  // Throws TrustError naming the file when it cannot be read or is not an Ed25519 key.
  static PrivateKey load_pem(const std::filesystem::path& file);
  static PrivateKey from_pem(std::string_view pem, std::string_view origin);

  std::string to_pem() const;
  PublicKey public_key() const;
  Ed25519Signature sign(std::string_view message) const;

 private:
  struct Free {
    void operator()(EVP_PKEY* key) const;
  };
  explicit PrivateKey(EVP_PKEY* key) : key_(key) {}
  std::unique_ptr<EVP_PKEY, Free> key_;
};

// True only when `signature` is a valid Ed25519 signature of `message` by `key`.
bool verify(const PublicKey& key, std::string_view message, std::span<const std::uint8_t> signature);

}  // namespace mcpd::trust
