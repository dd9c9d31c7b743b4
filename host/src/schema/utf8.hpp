// The few UTF-8 facts the validator needs: JSON Schema counts string lengths in code points, and the IDN
// formats look at code points, not bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mcpd::schema::detail {

/// Number of Unicode code points; each malformed byte counts as one (U+FFFD), so the count never exceeds the
/// byte length.
std::size_t count_code_points(std::string_view utf8);

/// Decodes to code points; malformed bytes become U+FFFD.
std::u32string decode_utf8(std::string_view utf8);

/// Encodes code points (none of them surrogates) as UTF-8.
std::string encode_utf8(std::u32string_view code_points);

/// The longest prefix holding at most `max_code_points` code points, never cutting a character in half.
std::string_view prefix_code_points(std::string_view utf8, std::size_t max_code_points);

}  // namespace mcpd::schema::detail
