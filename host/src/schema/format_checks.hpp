// One checker per "format" (formats.cpp maps names to them). Each takes the string as UTF-8 and answers
// whether it is in that format; none allocates much or takes more than linear time.
#pragma once

#include <string_view>

namespace mcpd::schema::detail {

// format_dates.cpp (RFC 3339 and its appendix A)
bool is_date_time(std::string_view s);
bool is_date(std::string_view s);
bool is_time(std::string_view s);
bool is_duration(std::string_view s);

// format_network.cpp (RFC 5321, 6531, 1123, 5890-5893, 2673, 4291)
bool is_email(std::string_view s);
bool is_idn_email(std::string_view s);
bool is_hostname(std::string_view s);
bool is_idn_hostname(std::string_view s);
bool is_ipv4(std::string_view s);
bool is_ipv6(std::string_view s);

// format_references.cpp (RFC 3986, 3987, 6570, 6901, 4122, draft-handrews-relative-json-pointer, ECMA-262)
bool is_uri(std::string_view s);
bool is_uri_reference(std::string_view s);
bool is_iri(std::string_view s);
bool is_iri_reference(std::string_view s);
bool is_uri_template(std::string_view s);
bool is_uuid(std::string_view s);
bool is_json_pointer(std::string_view s);
bool is_relative_json_pointer(std::string_view s);
bool is_regex(std::string_view s);

}  // namespace mcpd::schema::detail
