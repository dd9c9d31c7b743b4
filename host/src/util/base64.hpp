#pragma once
// Standard base64 (RFC 4648, with padding): image/audio/blob content crosses the
// ABI as raw bytes and becomes base64 only in the JSON the client sees.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpd {
std::string base64_encode(const std::uint8_t* data, std::size_t size);
inline std::string base64_encode(std::string_view s) {
  return base64_encode(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}
std::optional<std::string> base64_decode(std::string_view text);
}  // namespace mcpd
