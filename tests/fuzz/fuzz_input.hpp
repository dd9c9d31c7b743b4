// Splitting one fuzz input into the parts a target needs. libFuzzer hands over a single byte string; targets
// that need several values (a schema and an instance, a body and a status) cut it at a separator byte so the
// mutator can change each part independently and the seed corpus stays human-readable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd_fuzz {

// The parts of `data` between separator bytes (default: a NUL byte), at most `max_parts` of them; the last
// part takes the rest.
inline std::vector<std::string_view> split_input(const std::uint8_t* data, std::size_t size,
                                                 std::size_t max_parts, char separator = '\0') {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const auto at = rest.find(separator);
    if (at == std::string_view::npos) break;
    parts.push_back(rest.substr(0, at));
    rest.remove_prefix(at + 1);
  }
  parts.push_back(rest);
  return parts;
}

// Whether `message` quotes a piece (12 bytes or more) of `secret` that `input` only had as part of the secret
// itself: that is a leak. A piece the input also had elsewhere (a mutated near-copy of the key, which is not
// the key and is rightly not redacted) is not.
inline bool leaks_secret(std::string_view message, std::string_view input, std::string_view secret) {
  // One pass, left to right, as redaction itself goes: erasing must not splice a new occurrence together.
  std::string without_secret;
  for (std::size_t from = 0;;) {
    const auto at = input.find(secret, from);
    without_secret.append(
        input.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from));
    if (at == std::string_view::npos) break;
    without_secret.push_back('\0');  // keeps the text on either side from joining into a new piece
    from = at + secret.size();
  }
  for (std::size_t at = 0; at + 12 <= secret.size(); ++at) {
    const auto piece = secret.substr(at, 12);
    if (message.find(piece) != std::string_view::npos && without_secret.find(piece) == std::string::npos)
      return true;
  }
  return false;
}

}  // namespace mcpd_fuzz
