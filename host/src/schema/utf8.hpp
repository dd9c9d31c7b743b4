// The few UTF-8 facts the validator needs: JSON Schema counts string lengths in code points, and patterns
// match code points, not bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mcpd::schema::detail {

/// Number of Unicode code points; each malformed byte counts as one (U+FFFD), so the count never exceeds the
/// byte length.
std::size_t count_code_points(std::string_view utf8);

/// Decodes to UTF-32 in a wstring (wchar_t is 32 bits on the platforms mcpd supports); malformed bytes become
/// U+FFFD.
std::wstring utf8_to_wide(std::string_view utf8);

/// The longest prefix holding at most `max_code_points` code points, never cutting a character in half.
std::string_view prefix_code_points(std::string_view utf8, std::size_t max_code_points);

}  // namespace mcpd::schema::detail
