// Compile-time concatenation of string constants, for JSON texts that share a piece (the redaction rule
// schema appears in the configuration schema twice and in a tool's arguments) where the SDK wants the
// result as a constexpr std::string_view.
//
//   inline constexpr std::string_view head = "...", tail = "...";
//   inline constexpr std::string_view whole = joined_text<head, shared, tail>::value;
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>

namespace mcpd::tracking {

template <const std::string_view&... parts>
struct joined_text {
 private:
  static constexpr auto storage = [] {
    std::array<char, (parts.size() + ... + 0)> out{};
    std::size_t at = 0;
    ((std::copy(parts.begin(), parts.end(), out.begin() + static_cast<std::ptrdiff_t>(at)),
      at += parts.size()),
     ...);
    return out;
  }();

 public:
  static constexpr std::string_view value{storage.data(), storage.size()};
};

}  // namespace mcpd::tracking
