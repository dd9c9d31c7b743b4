#include "schema/formats.hpp"

#include "schema/format_checks.hpp"

#include <utility>

namespace mcpd::schema::detail {
namespace {

struct KnownFormat {
  std::string_view name;
  Format format;
  bool (*check)(std::string_view);
  const char* expectation;
};

const KnownFormat kFormats[] = {
    {"date-time", Format::kDateTime, &is_date_time,
     "string in date-time format (ISO-8601, e.g. 2026-01-31T12:00:00Z)"},
    {"date", Format::kDate, &is_date, "string in date format (e.g. 2026-01-31)"},
    {"time", Format::kTime, &is_time, "string in time format (with a time zone, e.g. 12:00:00Z)"},
    {"duration", Format::kDuration, &is_duration,
     "string in duration format (ISO-8601, e.g. P3DT12H or PT30M)"},
    {"email", Format::kEmail, &is_email, "string in email format (e.g. name@example.com)"},
    {"idn-email", Format::kIdnEmail, &is_idn_email, "string in idn-email format (e.g. name@example.com)"},
    {"hostname", Format::kHostname, &is_hostname, "string in hostname format (e.g. api.example.com)"},
    {"idn-hostname", Format::kIdnHostname, &is_idn_hostname,
     "string in idn-hostname format (e.g. bücher.example)"},
    {"ipv4", Format::kIpv4, &is_ipv4, "string in ipv4 format (e.g. 192.0.2.1)"},
    {"ipv6", Format::kIpv6, &is_ipv6, "string in ipv6 format (e.g. 2001:db8::1)"},
    {"uri", Format::kUri, &is_uri, "string in uri format (an absolute URI, e.g. https://example.com/path)"},
    {"uri-reference", Format::kUriReference, &is_uri_reference,
     "string in uri-reference format (a URI or a relative reference, e.g. ../path?q=1)"},
    {"iri", Format::kIri, &is_iri, "string in iri format (an absolute IRI, e.g. https://bücher.example/)"},
    {"iri-reference", Format::kIriReference, &is_iri_reference,
     "string in iri-reference format (an IRI or a relative reference)"},
    {"uri-template", Format::kUriTemplate, &is_uri_template,
     "string in uri-template format (RFC 6570, e.g. /users/{id})"},
    {"uuid", Format::kUuid, &is_uuid, "string in uuid format (e.g. 123e4567-e89b-12d3-a456-426614174000)"},
    {"json-pointer", Format::kJsonPointer, &is_json_pointer, "string in json-pointer format (e.g. /items/0)"},
    {"relative-json-pointer", Format::kRelativeJsonPointer, &is_relative_json_pointer,
     "string in relative-json-pointer format (e.g. 1/name)"},
    {"regex", Format::kRegex, &is_regex, "string in regex format (an ECMAScript regular expression)"},
};

const KnownFormat* find(Format format) {
  for (const auto& known : kFormats) {
    if (known.format == format) return &known;
  }
  return nullptr;
}

}  // namespace

Format format_from_name(std::string_view name) {
  for (const auto& known : kFormats) {
    if (known.name == name) return known.format;
  }
  return Format::kNone;
}

bool matches_format(Format format, std::string_view text) {
  const KnownFormat* known = find(format);
  return known == nullptr || known->check(text);
}

const char* format_expectation(Format format) {
  const KnownFormat* known = find(format);
  return known == nullptr ? "string" : known->expectation;
}

}  // namespace mcpd::schema::detail
