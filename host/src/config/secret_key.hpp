// A symmetric secret written in a config file or variable (server.request_state_key): the one place that
// knows its spellings, so the config can refuse a bad one at load time (naming the file or variable) and
// the code that uses the key reads the same bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mcpd::config {

/// What such a key must look like, for messages (never the value itself).
inline constexpr std::string_view kSecretKeyFormat =
    "64 hex digits or base64 of at least 32 bytes (e.g. openssl rand -hex 32)";

/// The key's bytes, or nullopt. Accepted: exactly 64 hex digits (either case), or base64 (standard, padding
/// optional) or base64url of at least 32 bytes; white space around the text is ignored. Text made only of
/// hex digits is read as hex, so 32 or 128 hex digits are refused rather than silently read as base64.
std::optional<std::string> decode_secret_key(std::string_view text);

}  // namespace mcpd::config
