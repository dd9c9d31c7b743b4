#include "trust/ed25519.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <sstream>

#include "trust/sha256.hpp"
#include "util/base64.hpp"

namespace mcpd::trust {
namespace {

std::string openssl_reason() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no detail from OpenSSL";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

}  // namespace

void PrivateKey::Free::operator()(EVP_PKEY* key) const {
  EVP_PKEY_free(key);
}

std::string PublicKey::to_text() const {
  return base64_encode(raw.data(), raw.size());
}

std::string PublicKey::key_id() const {
  std::string_view bytes(reinterpret_cast<const char*>(raw.data()), raw.size());
  return to_hex(sha256(bytes)).substr(0, 16);
}

std::optional<PublicKey> PublicKey::from_text(std::string_view text, std::string& error) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  auto bytes = base64_decode(text);
  PublicKey key;
  if (!bytes || bytes->size() != key.raw.size()) {
    error = "not an Ed25519 public key: expected the base64 of 32 bytes (as `mcpd plugin keygen` prints)";
    return std::nullopt;
  }
  std::copy(bytes->begin(), bytes->end(), key.raw.begin());
  return key;
}

PrivateKey PrivateKey::generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (key == nullptr) throw TrustError("cannot generate an Ed25519 key: " + openssl_reason());
  return PrivateKey(key);
}

PrivateKey PrivateKey::from_pem(std::string_view pem, std::string_view origin) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw TrustError("cannot read " + std::string(origin) + ": out of memory");
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr)
    throw TrustError(std::string(origin) + " is not a PEM private key (" + openssl_reason() +
                     "); create one with `mcpd plugin keygen`");
  PrivateKey result(key);
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519)
    throw TrustError(std::string(origin) +
                     " holds a private key that is not Ed25519; create one with "
                     "`mcpd plugin keygen`");
  return result;
}

PrivateKey PrivateKey::load_pem(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw TrustError("cannot read the private key file \"" + file.string() + "\"");
  std::ostringstream text;
  text << in.rdbuf();
  return from_pem(text.str(), "\"" + file.string() + "\"");
}

std::string PrivateKey::to_pem() const {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    throw TrustError("cannot write the private key as PEM: " + openssl_reason());
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

PublicKey PrivateKey::public_key() const {
  PublicKey pub;
  std::size_t size = pub.raw.size();
  if (EVP_PKEY_get_raw_public_key(key_.get(), pub.raw.data(), &size) != 1 || size != pub.raw.size())
    throw TrustError("cannot read the public half of the key: " + openssl_reason());
  return pub;
}

Ed25519Signature PrivateKey::sign(std::string_view message) const {
  MdCtx ctx(EVP_MD_CTX_new());
  Ed25519Signature signature{};
  std::size_t size = signature.size();
  // Ed25519 takes no digest (NULL): it hashes the message itself.
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), signature.data(), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      size != signature.size())
    throw TrustError("cannot sign: " + openssl_reason());
  return signature;
}

bool verify(const PublicKey& key, std::string_view message, std::span<const std::uint8_t> signature) {
  if (signature.size() != std::tuple_size_v<Ed25519Signature>) return false;
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> pkey(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.raw.data(), key.raw.size()), EVP_PKEY_free);
  MdCtx ctx(EVP_MD_CTX_new());
  if (!pkey || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1) {
    ERR_clear_error();
    return false;
  }
  const int ok = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                                  reinterpret_cast<const unsigned char*>(message.data()), message.size());
  ERR_clear_error();
  return ok == 1;
}

}  // namespace mcpd::trust
