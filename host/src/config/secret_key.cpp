#include "config/secret_key.hpp"

#include <mcpd/sdk/base64.hpp>

#include <algorithm>

namespace mcpd::config {

namespace {

constexpr std::size_t kMinKeyBytes = 32;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> decode_secret_key(std::string_view text) {
  // `$(cat keyfile)` keeps no newline, but a key pasted into JSON often carries one.
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;

  if (std::all_of(text.begin(), text.end(), [](char c) { return hex_value(c) >= 0; })) {
    if (text.size() != 2 * kMinKeyBytes) return std::nullopt;
    std::string bytes;
    for (std::size_t i = 0; i < text.size(); i += 2)
      bytes.push_back(static_cast<char>(hex_value(text[i]) << 4 | hex_value(text[i + 1])));
    return bytes;
  }
  for (const auto alphabet : {sdk::base64::alphabet::standard, sdk::base64::alphabet::url}) {
    auto bytes = sdk::base64::decode(text, alphabet);
    if (bytes && bytes->size() >= kMinKeyBytes) return bytes;
  }
  return std::nullopt;
}

}  // namespace mcpd::config
