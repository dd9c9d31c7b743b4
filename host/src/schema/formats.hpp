// The string formats the validator asserts. Other "format" values are annotations only, as JSON Schema
// allows.
#pragma once

#include <string_view>

namespace mcpd::schema::detail {

enum class Format { kNone, kDateTime, kUri, kEmail, kUuid };

/// kNone for formats that are not asserted.
Format format_from_name(std::string_view name);

bool matches_format(Format format, std::string_view text);

/// The expectation in an error message, e.g. "string in date-time format (ISO-8601, e.g.
/// 2026-01-31T12:00:00Z)".
const char* format_expectation(Format format);

}  // namespace mcpd::schema::detail
