// Base64 (RFC 4648, standard alphabet) for image bytes: strict decoding of what callers send, encoding of
// what goes to the model. The codec is the SDK's (mcpd/sdk/base64.hpp); this adapts it to byte vectors
// and to the rule that an image is never empty.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mcpd/sdk/base64.hpp>

namespace mcpd::gemini {

// Standard alphabet with '=' padding.
inline std::string base64_encode(const std::vector<std::uint8_t>& bytes) {
  return sdk::base64::encode(bytes.data(), bytes.size());
}

// Decodes standard base64 (line breaks and spaces skipped). On failure, or when it decodes to nothing,
// returns nullopt and, when `why` is given, says what is wrong.
inline std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text,
                                                              std::string* why = nullptr) {
  const auto bytes = sdk::base64::decode(text, sdk::base64::alphabet::standard, why);
  if (!bytes) return std::nullopt;
  if (bytes->empty()) {
    if (why != nullptr) *why = "it decodes to no bytes";
    return std::nullopt;
  }
  return std::vector<std::uint8_t>(bytes->begin(), bytes->end());
}

}  // namespace mcpd::gemini
