#include "base64.hpp"

#include <array>

namespace mcpd::gemini {
namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> decoding_table() {
  std::array<std::int8_t, 256> table{};
  for (auto& entry : table) entry = -1;
  for (std::size_t i = 0; i < alphabet.size(); ++i)
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  return table;
}

bool is_skippable(char c) {
  return c == '\n' || c == '\r' || c == ' ' || c == '\t';
}

}  // namespace

std::string base64_encode(const std::vector<std::uint8_t>& bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t triple =
        (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out.push_back(alphabet[(triple >> 18) & 63]);
    out.push_back(alphabet[(triple >> 12) & 63]);
    out.push_back(alphabet[(triple >> 6) & 63]);
    out.push_back(alphabet[triple & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t triple = std::uint32_t{bytes[i]} << 16;
    if (rest == 2) triple |= std::uint32_t{bytes[i + 1]} << 8;
    out.push_back(alphabet[(triple >> 18) & 63]);
    out.push_back(alphabet[(triple >> 12) & 63]);
    out.push_back(rest == 2 ? alphabet[(triple >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text, std::string* why) {
  static constexpr auto table = decoding_table();
  auto fail = [&](std::string reason) -> std::optional<std::vector<std::uint8_t>> {
    if (why != nullptr) *why = std::move(reason);
    return std::nullopt;
  };
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t symbols = 0;
  std::size_t padding = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    const char c = text[at];
    if (is_skippable(c)) continue;
    if (c == '=') {
      ++padding;
      ++symbols;
      continue;
    }
    if (padding > 0) return fail("data continues after '=' padding at character " + std::to_string(at));
    const auto value = table[static_cast<unsigned char>(c)];
    if (value < 0) {
      return fail("character " + std::to_string(at) + " is not in the base64 alphabet" +
                  (c == '-' || c == '_' ? " (this looks like base64url; use the standard alphabet)" : ""));
    }
    ++symbols;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((buffer >> bits) & 0xFF));
    }
  }
  if (padding > 2) return fail("too much '=' padding");
  const std::size_t data_symbols = symbols - padding;
  if (padding > 0 && symbols % 4 != 0) return fail("the padded length is not a multiple of 4");
  if (data_symbols % 4 == 1) return fail("the length does not end on a byte boundary (truncated?)");
  if (out.empty()) return fail("it decodes to no bytes");
  return out;
}

}  // namespace mcpd::gemini
