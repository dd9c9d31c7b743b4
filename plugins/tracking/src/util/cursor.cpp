#include "cursor.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <stdexcept>

namespace mcpd::tracking {
namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int value_of(char c) {
  const auto at = alphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

std::string not_a_cursor(std::string_view tool) {
  return std::string(tool) + ": \"cursor\" is not a cursor from " + std::string(tool) +
         "; pass the next_cursor value of the previous call unchanged, or omit cursor for the first page";
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(alphabet[(buffer >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (6 - bits)) & 0x3F]);
  return out;
}

bool base64url_decode(std::string_view text, std::string& bytes) {
  bytes.clear();
  if (text.size() % 4 == 1) return false;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const int value = value_of(c);
    if (value < 0) return false;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  // Leftover bits must be zero padding, so every cursor has exactly one spelling.
  return (buffer & ((1u << bits) - 1)) == 0;
}

std::string fingerprint_of(std::string_view canonical_filters) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : canonical_filters) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

std::string encode_cursor(std::string_view tool, std::string_view fingerprint, boost::json::object state) {
  state["t"] = tool;
  state["f"] = fingerprint;
  return base64url_encode(boost::json::serialize(state));
}

boost::json::object decode_cursor(std::string_view tool, std::string_view fingerprint,
                                  std::string_view cursor) {
  std::string bytes;
  if (!base64url_decode(cursor, bytes)) throw std::invalid_argument(not_a_cursor(tool));
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(bytes, ec);
  if (ec || !parsed.is_object()) throw std::invalid_argument(not_a_cursor(tool));
  auto& state = parsed.get_object();
  const auto* owner = state.if_contains("t");
  if (owner == nullptr || !owner->is_string() || owner->get_string() != tool) {
    throw std::invalid_argument(not_a_cursor(tool));
  }
  const auto* filters = state.if_contains("f");
  if (filters == nullptr || !filters->is_string() || filters->get_string() != fingerprint) {
    throw std::invalid_argument(
        std::string(tool) +
        ": this cursor was made for other filters; repeat the call with the filters of the "
        "call that returned it, or omit cursor to start again with these filters");
  }
  state.erase("t");
  state.erase("f");
  return std::move(state);
}

}  // namespace mcpd::tracking
