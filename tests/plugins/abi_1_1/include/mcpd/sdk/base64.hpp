// Base64 (RFC 4648), the one implementation the host and the plugins share: image and blob content,
// signatures and keys, opaque page cursors.
//
// Encoding: the standard alphabet with '=' padding, or the URL-safe alphabet without padding (for text
// that travels in URLs and JSON strings, such as cursors).
// Decoding is strict about what matters and lenient about layout: spaces and line breaks are skipped
// (some encoders wrap lines), '=' padding is optional but, when present, only at the end and completing
// the last group; a length that cannot end on a byte boundary or leftover bits that are not zero (a
// second spelling of the same bytes) are refused. The URL-safe alphabet takes no padding.
#ifndef MCPD_SDK_BASE64_HPP
#define MCPD_SDK_BASE64_HPP

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpd::sdk::base64 {

enum class alphabet { standard, url };

namespace detail {

inline constexpr std::string_view standard_symbols =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
inline constexpr std::string_view url_symbols =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<std::int8_t, 256> decoding_table(std::string_view symbols) {
  std::array<std::int8_t, 256> table{};
  for (auto& entry : table) entry = -1;
  for (std::size_t i = 0; i < symbols.size(); ++i)
    table[static_cast<unsigned char>(symbols[i])] = static_cast<std::int8_t>(i);
  return table;
}

}  // namespace detail

inline std::string encode(std::string_view bytes, alphabet which = alphabet::standard) {
  const std::string_view symbols = which == alphabet::url ? detail::url_symbols : detail::standard_symbols;
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(symbols[(buffer >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(symbols[(buffer << (6 - bits)) & 0x3F]);
  if (which == alphabet::standard) {
    while (out.size() % 4 != 0) out.push_back('=');
  }
  return out;
}

inline std::string encode(const std::uint8_t* data, std::size_t size, alphabet which = alphabet::standard) {
  return encode(std::string_view(reinterpret_cast<const char*>(data), size), which);
}

/// The bytes `text` encodes, or nullopt; then `why` (when given) says what is wrong and where.
inline std::optional<std::string> decode(std::string_view text, alphabet which = alphabet::standard,
                                         std::string* why = nullptr) {
  static constexpr auto standard_table = detail::decoding_table(detail::standard_symbols);
  static constexpr auto url_table = detail::decoding_table(detail::url_symbols);
  const auto& table = which == alphabet::url ? url_table : standard_table;
  auto fail = [why](std::string reason) -> std::optional<std::string> {
    if (why != nullptr) *why = std::move(reason);
    return std::nullopt;
  };
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t symbols = 0;
  std::size_t padding = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    const char c = text[at];
    if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
    if (c == '=' && which == alphabet::standard) {
      ++padding;
      ++symbols;
      continue;
    }
    if (padding > 0) return fail("data continues after '=' padding at character " + std::to_string(at));
    const auto value = table[static_cast<unsigned char>(c)];
    if (value < 0) {
      const bool other_alphabet =
          which == alphabet::standard ? (c == '-' || c == '_') : (c == '+' || c == '/');
      return fail("character " + std::to_string(at) + " is not in the base64 alphabet" +
                  (other_alphabet ? which == alphabet::standard
                                        ? " (this looks like base64url; use the standard alphabet)"
                                        : " (this looks like standard base64; use the URL-safe alphabet)"
                                  : ""));
    }
    ++symbols;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  if (padding > 2) return fail("too much '=' padding");
  if (padding > 0 && symbols % 4 != 0) return fail("the padded length is not a multiple of 4");
  if ((symbols - padding) % 4 == 1) return fail("the length does not end on a byte boundary (truncated?)");
  if ((buffer & ((1u << bits) - 1)) != 0) return fail("the last character carries bits beyond the data");
  return out;
}

}  // namespace mcpd::sdk::base64

#endif  // MCPD_SDK_BASE64_HPP
