#include "mrtr/state_seal.hpp"

#include <openssl/crypto.h>
#include <mcpd/sdk/base64.hpp>

#include <algorithm>
#include <ctime>
#include <stdexcept>
#include <vector>

#include "config/secret_key.hpp"
#include "mrtr/seal_crypto.hpp"
#include "trust/sha256.hpp"

// The token is base64url (no padding) of this envelope:
//
//   offset  size   field
//   0       1      format version (1)
//   1       1      flags: bit 0 = confidential (AES-256-GCM); no other bit is set
//   2       1      kind: 1 "plugin", 2 "suspended"
//   3       16     nonce, random: the token's identity for single use; its first 12 bytes are the GCM IV
//   19      8      expiry, milliseconds since the Unix epoch, big-endian
//   27      4x16   binding tags: HMAC-SHA256(binding key, index || nonce || field), cut to 16 bytes, for
//                  target, arguments digest, plugin version and principal, in that order
//   91      n      the payload (clear), or its AES-256-GCM ciphertext (confidential)
//   91+n    32|16  clear: HMAC-SHA256(MAC key, bytes 0..91+n); confidential: the GCM tag (AAD: bytes 0..91)
//
// The binding travels only as keyed tags, never as values. The envelope's own authentication (last field)
// covers the tags, so it tells "altered, or sealed with another key" apart from "genuine, but made for
// another request"; and one tag per field tells the client which of the four differs, so it knows what
// to fix. Tags are cut to 128 bits: matching one for another value means forging HMAC-SHA256 online.

namespace mcpd::mrtr {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::uint8_t kConfidential = 0x01;
constexpr std::size_t kNonceBytes = 16;
constexpr std::size_t kIvBytes = 12;
constexpr std::size_t kTagBytes = 16;  // each binding tag, and the GCM tag
constexpr std::size_t kBindingFields = 4;
constexpr std::size_t kNonceAt = 3;
constexpr std::size_t kExpiryAt = kNonceAt + kNonceBytes;
constexpr std::size_t kTagsAt = kExpiryAt + 8;
constexpr std::size_t kHeaderBytes = kTagsAt + kBindingFields * kTagBytes;
constexpr std::size_t kMacBytes = 32;
// The longest token seal() can make; anything longer is refused before it is decoded.
constexpr std::size_t kMaxTokenChars = ((kHeaderBytes + StateSeal::kMaxPayloadBytes + kMacBytes) * 4 + 2) / 3;

constexpr std::string_view kKinds[] = {"plugin", "suspended"};  // byte value = index + 1

constexpr std::string_view kBindingNames[kBindingFields] = {
    "another tool, prompt or resource", "other arguments", "another plugin version", "another caller"};

UnsealError not_ours(std::string_view why) {
  return {"the requestState was not issued by this server (" + std::string(why) +
          "); send the request again without requestState"};
}

UnsealError altered() {
  return {
      "the requestState was altered, or sealed with another key (another server, or a key changed since); "
      "send the request again without requestState"};
}

UnsealError for_another_request(const std::vector<std::string_view>& differences) {
  std::string list;
  for (const auto difference : differences) list += (list.empty() ? "" : ", ") + std::string(difference);
  return {"the requestState was made for a different request (" + list +
          "); retry with the exact params of the request that returned it, or send the request again "
          "without requestState"};
}

std::string utc_text(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

UnsealError expired(std::int64_t expiry_ms, std::chrono::seconds lifetime) {
  return {"the requestState expired at " + utc_text(expiry_ms) + " (a state is valid for " +
          std::to_string(lifetime.count()) + " s); send the request again without requestState"};
}

UnsealError replayed() {
  return {
      "the requestState was already used (each one is accepted once); send the request again without "
      "requestState"};
}

void put_u64(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

std::uint64_t get_u64(std::string_view in) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i) value = value << 8 | static_cast<unsigned char>(in[i]);
  return value;
}

std::string binding_tag(std::string_view key, std::size_t index, std::string_view nonce,
                        std::string_view field) {
  const char label = static_cast<char>(index);
  return detail::hmac_sha256(key, {std::string_view(&label, 1), nonce, field}).substr(0, kTagBytes);
}

const std::string* field(const StateBinding& binding, std::size_t index) {
  const std::string* fields[kBindingFields] = {&binding.target, &binding.arguments_digest,
                                               &binding.plugin_version, &binding.principal};
  return fields[index];
}

bool is_base64url(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace

StateSeal::StateSeal(std::string key, std::chrono::seconds lifetime, Clock clock, std::size_t max_remembered)
    : lifetime_(lifetime),
      clock_(std::move(clock)),
      max_remembered_(std::max<std::size_t>(max_remembered, 1)) {
  if (key.size() < 32) throw std::invalid_argument("the requestState key must be at least 32 bytes");
  if (lifetime.count() <= 0) throw std::invalid_argument("the requestState lifetime must be positive");
  mac_key_ = detail::hkdf_sha256(key, "mcpd requestState v1 mac");
  aead_key_ = detail::hkdf_sha256(key, "mcpd requestState v1 aes-256-gcm");
  binding_key_ = detail::hkdf_sha256(key, "mcpd requestState v1 binding");
  OPENSSL_cleanse(key.data(), key.size());
}

StateSeal::~StateSeal() {
  for (auto* key : {&mac_key_, &aead_key_, &binding_key_}) OPENSSL_cleanse(key->data(), key->size());
}

std::string StateSeal::decode_key(std::string_view text) {
  auto bytes = config::decode_secret_key(text);
  if (!bytes)
    throw std::invalid_argument("server.request_state_key must be " + std::string(config::kSecretKeyFormat));
  return std::move(*bytes);
}

std::string StateSeal::random_key() {
  return detail::random_bytes(32);
}

std::string StateSeal::digest_arguments(std::string_view canonical_arguments) {
  return trust::to_hex(trust::sha256(canonical_arguments));
}

std::int64_t StateSeal::now_ms() const {
  const auto now = clock_ ? clock_() : std::chrono::system_clock::now();
  return std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
}

std::string StateSeal::seal(const SealedContent& content, const StateBinding& binding,
                            bool confidential) const {
  const auto kind = std::find(std::begin(kKinds), std::end(kKinds), content.kind);
  if (kind == std::end(kKinds))
    throw std::invalid_argument("a sealed requestState's kind must be \"plugin\" or \"suspended\"");
  if (content.payload.size() > kMaxPayloadBytes)
    throw std::length_error("a requestState payload may hold at most 256 KiB");

  const std::string nonce = detail::random_bytes(kNonceBytes);
  std::string envelope;
  envelope.reserve(kHeaderBytes + content.payload.size() + kMacBytes);
  envelope.push_back(static_cast<char>(kVersion));
  envelope.push_back(static_cast<char>(confidential ? kConfidential : 0));
  envelope.push_back(static_cast<char>(kind - std::begin(kKinds) + 1));
  envelope += nonce;
  put_u64(envelope, static_cast<std::uint64_t>(now_ms() + lifetime_.count() * 1000));
  for (std::size_t i = 0; i < kBindingFields; ++i)
    envelope += binding_tag(binding_key_, i, nonce, *field(binding, i));

  if (confidential) {
    envelope += detail::aes_gcm_seal(aead_key_, nonce.substr(0, kIvBytes), envelope, content.payload);
  } else {
    envelope += content.payload;
    envelope += detail::hmac_sha256(mac_key_, {envelope});
  }
  return sdk::base64::encode(envelope, sdk::base64::alphabet::url);
}

std::variant<SealedContent, UnsealError> StateSeal::open(std::string_view token,
                                                         const StateBinding& expected) {
  // Cheap checks first, so garbage of any size costs next to nothing.
  if (token.empty()) return not_ours("it is empty");
  if (token.size() > kMaxTokenChars) return not_ours("it is longer than any state this server makes");
  if (!is_base64url(token)) return not_ours("it is not base64url text");
  const auto decoded = sdk::base64::decode(token, sdk::base64::alphabet::url);
  if (!decoded) return not_ours("it is not base64url text");
  const std::string_view envelope = *decoded;
  if (envelope.size() < kHeaderBytes + kTagBytes) return not_ours("it is too short");
  if (static_cast<std::uint8_t>(envelope[0]) != kVersion) return not_ours("its format version is unknown");

  const auto flags = static_cast<std::uint8_t>(envelope[1]);
  const bool confidential = (flags & kConfidential) != 0;
  const std::string_view header = envelope.substr(0, kHeaderBytes);
  const std::string_view nonce = envelope.substr(kNonceAt, kNonceBytes);
  SealedContent content;
  if (confidential) {
    auto plain =
        detail::aes_gcm_open(aead_key_, nonce.substr(0, kIvBytes), header, envelope.substr(kHeaderBytes));
    if (!plain) return altered();
    content.payload = std::move(*plain);
  } else {
    if (envelope.size() < kHeaderBytes + kMacBytes) return not_ours("it is too short");
    const std::string_view signed_part = envelope.substr(0, envelope.size() - kMacBytes);
    const std::string mac = detail::hmac_sha256(mac_key_, {signed_part});
    if (CRYPTO_memcmp(mac.data(), envelope.data() + signed_part.size(), kMacBytes) != 0) return altered();
    content.payload = std::string(signed_part.substr(kHeaderBytes));
  }

  // Authentic from here on; an unknown flag or kind is a newer mcpd's token under the same key.
  const auto kind = static_cast<std::uint8_t>(envelope[2]);
  if ((flags & ~kConfidential) != 0 || kind == 0 || kind > std::size(kKinds))
    return not_ours("its format is unknown to this version of mcpd");
  content.kind = std::string(kKinds[kind - 1]);

  const std::int64_t now = now_ms();
  const auto expiry = static_cast<std::int64_t>(get_u64(envelope.substr(kExpiryAt)));
  if (now >= expiry) return expired(expiry, lifetime_);

  std::vector<std::string_view> differences;
  for (std::size_t i = 0; i < kBindingFields; ++i) {
    const std::string tag = binding_tag(binding_key_, i, nonce, *field(expected, i));
    if (CRYPTO_memcmp(tag.data(), envelope.data() + kTagsAt + i * kTagBytes, kTagBytes) != 0)
      differences.push_back(kBindingNames[i]);
  }
  if (!differences.empty()) return for_another_request(differences);

  const std::lock_guard lock(used_mutex_);
  if (!remember_locked(std::string(nonce), expiry, now)) return replayed();
  return content;
}

bool StateSeal::remember_locked(const std::string& nonce, std::int64_t expiry_ms, std::int64_t now_ms) {
  // Entries whose token has expired go: the token is refused as expired anyway.
  while (!by_expiry_.empty() && by_expiry_.begin()->first <= now_ms) {
    used_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
  if (used_.contains(nonce)) return false;
  // Full of live entries: forget the one closest to expiry rather than refuse the open. Refusing would let
  // anyone able to make kMaxRememberedStates genuine round trips within one lifetime stop every retry on
  // this instance; forgetting only reopens a replay of that oldest state, and only after that many newer
  // states were opened, which costs an attacker as many real requests.
  if (used_.size() >= max_remembered_) {
    used_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
  used_.emplace(nonce, expiry_ms);
  by_expiry_.emplace(expiry_ms, nonce);
  return true;
}

}  // namespace mcpd::mrtr
