#include "mrtr/seal_crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

namespace mcpd::mrtr::detail {
namespace {

constexpr std::size_t kGcmTagBytes = 16;

[[noreturn]] void fail(const char* what) {
  ERR_clear_error();
  throw std::runtime_error(std::string("OpenSSL could not ") + what);
}

struct Free {
  void operator()(EVP_KDF* p) const { EVP_KDF_free(p); }
  void operator()(EVP_KDF_CTX* p) const { EVP_KDF_CTX_free(p); }
  void operator()(EVP_MAC* p) const { EVP_MAC_free(p); }
  void operator()(EVP_MAC_CTX* p) const { EVP_MAC_CTX_free(p); }
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

// OpenSSL's parameter and buffer APIs take non-const pointers for input they only read.
void* mutable_bytes(std::string_view bytes) {
  return const_cast<char*>(bytes.data());
}
unsigned char* as_bytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}
const unsigned char* as_bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
char kSha256[] = "SHA256";

}  // namespace

std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  if (RAND_bytes(as_bytes(out), static_cast<int>(count)) != 1) fail("draw random bytes");
  return out;
}

std::string hkdf_sha256(std::string_view key, std::string_view info) {
  // A fixed salt is what RFC 5869 suggests when none is shared: the input is already a uniform secret.
  static constexpr std::string_view kSalt = "mcpd requestState";
  const Owned<EVP_KDF> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  if (!kdf) fail("find HKDF");
  const Owned<EVP_KDF_CTX> ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) fail("create an HKDF context");
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, kSha256, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, mutable_bytes(key), key.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, mutable_bytes(kSalt), kSalt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, mutable_bytes(info), info.size()),
      OSSL_PARAM_construct_end()};
  std::string out(32, '\0');
  if (EVP_KDF_derive(ctx.get(), as_bytes(out), out.size(), params) != 1) fail("derive a key with HKDF");
  return out;
}

std::string hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts) {
  const Owned<EVP_MAC> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) fail("find HMAC");
  const Owned<EVP_MAC_CTX> ctx(EVP_MAC_CTX_new(mac.get()));
  if (!ctx) fail("create an HMAC context");
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, kSha256, 0),
                               OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx.get(), as_bytes(key), key.size(), params) != 1) fail("start an HMAC");
  for (const auto part : parts)
    if (EVP_MAC_update(ctx.get(), as_bytes(part), part.size()) != 1) fail("compute an HMAC");
  std::string out(32, '\0');
  std::size_t size = 0;
  if (EVP_MAC_final(ctx.get(), as_bytes(out), &size, out.size()) != 1 || size != out.size())
    fail("finish an HMAC");
  return out;
}

std::string aes_gcm_seal(std::string_view key, std::string_view iv, std::string_view aad,
                         std::string_view plain) {
  const Owned<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  if (!ctx) fail("create a cipher context");
  // Payloads are bounded (StateSeal::kMaxPayloadBytes), so the int lengths OpenSSL wants cannot overflow.
  std::string out(plain.size() + kGcmTagBytes, '\0');
  int written = 0;
  int last = 0;
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, as_bytes(key), as_bytes(iv)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &written, as_bytes(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), as_bytes(out), &written, as_bytes(plain),
                        static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), as_bytes(out) + written, &last) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagBytes, as_bytes(out) + plain.size()) != 1)
    fail("encrypt with AES-256-GCM");
  return out;
}

std::optional<std::string> aes_gcm_open(std::string_view key, std::string_view iv, std::string_view aad,
                                        std::string_view sealed) {
  if (sealed.size() < kGcmTagBytes) return std::nullopt;
  const std::string_view cipher = sealed.substr(0, sealed.size() - kGcmTagBytes);
  std::string tag(sealed.substr(cipher.size()));
  const Owned<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  if (!ctx) fail("create a cipher context");
  std::string out(cipher.size(), '\0');
  int written = 0;
  int last = 0;
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, as_bytes(key), as_bytes(iv)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &written, as_bytes(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), as_bytes(out), &written, as_bytes(cipher),
                        static_cast<int>(cipher.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kGcmTagBytes, tag.data()) != 1)
    fail("decrypt with AES-256-GCM");
  // A tag mismatch is the expected outcome for altered input, not an OpenSSL failure; leave no error
  // behind in the thread's queue for unrelated code (TLS) to trip over.
  if (EVP_DecryptFinal_ex(ctx.get(), as_bytes(out) + written, &last) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return out;
}

}  // namespace mcpd::mrtr::detail
