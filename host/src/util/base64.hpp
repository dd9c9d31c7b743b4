#pragma once
// Standard base64 (RFC 4648, with padding): image/audio/blob content crosses the
// ABI as raw bytes and becomes base64 only in the JSON the client sees. The
// implementation is the SDK's, shared with the plugins.
#include <mcpd/sdk/base64.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpd {
inline std::string base64_encode(const std::uint8_t* data, std::size_t size) {
  return sdk::base64::encode(data, size);
}
inline std::string base64_encode(std::string_view s) {
  return sdk::base64::encode(s);
}
inline std::optional<std::string> base64_decode(std::string_view text) {
  return sdk::base64::decode(text);
}
}  // namespace mcpd
