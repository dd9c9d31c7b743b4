// "did you mean ...?" for misspelt keys.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mcpd::config::detail {

/// The known name nearest to `typed` by edit distance (case-insensitive; a swap of two neighbouring letters
/// counts as one edit), if it is near enough to be a plausible typo: at most 1 edit for short names, up to 3
/// for long ones, or a prefix of at least 3 letters ("warning" -> "warn").
std::optional<std::string> closest_name(std::string_view typed, std::span<const std::string_view> known);

}  // namespace mcpd::config::detail
