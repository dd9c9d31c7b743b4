#pragma once
// Seals the requestState of a 2026-07-28 input_required result. The client
// echoes it back verbatim on its retry, so whatever comes back is attacker
// input: the host seals what it hands out (HMAC-SHA256, or AES-256-GCM when
// the plugin's state must also stay secret) and binds it to what the state
// is for: the request it answers (method + tool/prompt/URI), a digest of the
// arguments, the plugin version that made it, the caller, and an expiry.
// A tampered, expired, foreign (another tool, other arguments, another
// caller, another plugin version, another key) or already used state is
// refused with a reason the client can act on.
//
// The key comes from server.request_state_key (MCPD_REQUEST_STATE_KEY), so
// that every instance of a fleet opens what another sealed; without one a
// random key is drawn per process (a retry then only works on the instance
// that sealed it). Single use is enforced per process: a fleet refuses a
// replay only on the instance that opened the state first.
//
// The token format and its checks are described in state_seal.cpp.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

namespace mcpd::mrtr {

// What a state is bound to; all of it must match on the way back.
struct StateBinding {
  std::string target;  // e.g. "tools/call testkit.ask", "prompts/get greet", "resources/read file:///x"
  std::string arguments_digest;  // hex SHA-256 of the canonical arguments (see digest_arguments)
  std::string plugin_version;    // the version of the plugin that answered
  std::string principal;         // digest of the caller's identity, "" when anonymous
};

struct SealedContent {
  std::string payload;  // the plugin's own state (or the host's reference to a suspended call)
  std::string kind;     // "plugin" or "suspended": which of the two the payload is
};

struct UnsealError {
  std::string reason;  // a full sentence for the -32602 message, e.g. "the requestState has expired ..."
};

class StateSeal {
 public:
  // Wall-clock time: expiries must mean the same on every instance of a fleet. Tests pass their own.
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  // The largest payload seal() takes (it throws std::length_error beyond): a state travels to the client
  // and back on every retry, and the bound lets open() refuse oversized input before decoding it.
  static constexpr std::size_t kMaxPayloadBytes = 256 * 1024;
  // How many opened states are remembered to refuse replays (see open()).
  static constexpr std::size_t kMaxRememberedStates = 100'000;

  // `key`: at least 32 bytes of secret (raw bytes), else std::invalid_argument. `lifetime`: how long a
  // sealed state stays valid. `clock`: empty means std::chrono::system_clock::now. `max_remembered`: the
  // bound of the replay memory (tests make it small).
  StateSeal(std::string key, std::chrono::seconds lifetime, Clock clock = {},
            std::size_t max_remembered = kMaxRememberedStates);
  ~StateSeal();  // wipes the derived keys
  StateSeal(const StateSeal&) = delete;
  StateSeal& operator=(const StateSeal&) = delete;

  // A key from server.request_state_key: 64 hex digits or base64 of at least 32 bytes. Throws
  // std::invalid_argument saying what is wrong (never echoing the value).
  static std::string decode_key(std::string_view text);
  // 32 random bytes (OpenSSL RAND_bytes).
  static std::string random_key();

  // A printable token (base64url, no padding) carrying `content`, bound to `binding`, expiring after
  // the lifetime. `confidential`: encrypt the payload (AES-256-GCM) instead of only authenticating it.
  // Throws std::invalid_argument for a kind other than "plugin" or "suspended", std::length_error for a
  // payload over kMaxPayloadBytes.
  std::string seal(const SealedContent& content, const StateBinding& binding, bool confidential) const;

  // Opens a token made by seal() with the same key and binding, once: a second open of the same token
  // (a replay) is refused until the token would have expired anyway. A refused token is not used up, so
  // a forged or misdirected copy cannot spend the genuine one. Thread-safe.
  std::variant<SealedContent, UnsealError> open(std::string_view token, const StateBinding& expected);

  // hex SHA-256 of the JSON text `canonical_arguments` (the caller serializes with sorted keys).
  static std::string digest_arguments(std::string_view canonical_arguments);

  std::chrono::seconds lifetime() const { return lifetime_; }

 private:
  std::int64_t now_ms() const;
  // Records `nonce` as used; false when it already was (a replay). Caller holds used_mutex_.
  bool remember_locked(const std::string& nonce, std::int64_t expiry_ms, std::int64_t now_ms);

  // Three keys derived from the configured one (HKDF-SHA256), so one secret serves every use and no key
  // is used for two purposes.
  std::string mac_key_;      // HMAC-SHA256 over the whole token (clear mode)
  std::string aead_key_;     // AES-256-GCM (confidential mode)
  std::string binding_key_;  // HMAC-SHA256 tags of the binding fields
  std::chrono::seconds lifetime_;
  Clock clock_;
  std::size_t max_remembered_;
  std::mutex used_mutex_;
  std::unordered_map<std::string, std::int64_t> used_;  // token nonce -> expiry (ms), pruned as they pass
  std::multimap<std::int64_t, std::string> by_expiry_;  // the same entries, oldest first, for pruning
};

}  // namespace mcpd::mrtr
