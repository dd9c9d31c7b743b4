// The string formats the validator can assert. "format" is an annotation unless the schema is compiled with
// FormatMode::kAssertion (or its dialect declares the format-assertion vocabulary); unknown format names are
// annotations either way, as JSON Schema allows.
#pragma once

#include <string_view>

namespace mcpd::schema::detail {

enum class Format {
  kNone,
  kDateTime,
  kDate,
  kTime,
  kDuration,
  kEmail,
  kIdnEmail,
  kHostname,
  kIdnHostname,
  kIpv4,
  kIpv6,
  kUri,
  kUriReference,
  kIri,
  kIriReference,
  kUriTemplate,
  kUuid,
  kJsonPointer,
  kRelativeJsonPointer,
  kRegex,
};

/// kNone for formats that are not known.
Format format_from_name(std::string_view name);

bool matches_format(Format format, std::string_view text);

/// The expectation in an error message, e.g. "string in date-time format (ISO-8601, e.g.
/// 2026-01-31T12:00:00Z)".
const char* format_expectation(Format format);

}  // namespace mcpd::schema::detail
