// Base64 (RFC 4648, standard alphabet) for image bytes: strict decoding of what callers send, encoding of
// what goes to the model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::gemini {

// Standard alphabet with '=' padding.
std::string base64_encode(const std::vector<std::uint8_t>& bytes);

// Decodes standard base64. Line breaks and spaces are skipped (some encoders wrap lines); anything else
// outside the alphabet, padding in the middle or a length that does not end on a byte boundary fails.
// On failure returns nullopt and, when `why` is given, says where.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text, std::string* why = nullptr);

}  // namespace mcpd::gemini
