// JSON pointers (RFC 6901) as they appear in $ref fragments and in schema locations.
#pragma once

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::schema::detail {

/// "a/b~c" -> "a~1b~0c": one reference token, escaped.
std::string escape_pointer_token(std::string_view token);

/// "/a~1b/0" -> {"a/b", "0"}; nullopt when the text is not a pointer ("" is the root: no tokens).
std::optional<std::vector<std::string>> parse_pointer(std::string_view pointer);

/// The value `pointer` (escaped, "" for `root` itself) names, or nullptr.
const boost::json::value* find_by_pointer(const boost::json::value& root, std::string_view pointer);

/// Percent-decodes a URI fragment; nullopt when an escape is malformed.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace mcpd::schema::detail
