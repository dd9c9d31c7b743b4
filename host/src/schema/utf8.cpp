#include "schema/utf8.hpp"

#include <cstdint>

namespace mcpd::schema::detail {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point starting at `pos` and returns how many bytes it used (>= 1).
std::size_t decode_one(std::string_view s, std::size_t pos, char32_t& out) {
  const auto lead = static_cast<unsigned char>(s[pos]);
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if (lead < 0x80) {
    out = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    out = kReplacement;
    return 1;
  }
  if (pos + length > s.size()) {
    out = kReplacement;
    return 1;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(s[pos + i]);
    if ((next & 0xC0) != 0x80) {
      out = kReplacement;
      return 1;
    }
    value = (value << 6) | (next & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not characters.
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    out = kReplacement;
    return 1;
  }
  out = value;
  return length;
}

}  // namespace

std::size_t count_code_points(std::string_view utf8) {
  std::size_t count = 0;
  char32_t ignored = 0;
  for (std::size_t pos = 0; pos < utf8.size(); ++count) pos += decode_one(utf8, pos, ignored);
  return count;
}

std::u32string decode_utf8(std::string_view utf8) {
  std::u32string code_points;
  code_points.reserve(utf8.size());
  char32_t code_point = 0;
  for (std::size_t pos = 0; pos < utf8.size();) {
    pos += decode_one(utf8, pos, code_point);
    code_points.push_back(code_point);
  }
  return code_points;
}

std::string encode_utf8(std::u32string_view code_points) {
  std::string out;
  for (const char32_t c : code_points) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::string_view prefix_code_points(std::string_view utf8, std::size_t max_code_points) {
  std::size_t pos = 0;
  char32_t ignored = 0;
  for (std::size_t count = 0; pos < utf8.size() && count < max_code_points; ++count) {
    pos += decode_one(utf8, pos, ignored);
  }
  return utf8.substr(0, pos);
}

}  // namespace mcpd::schema::detail
