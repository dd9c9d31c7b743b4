// Parsing JSON that a person wrote (the config file, a JSON-valued environment variable), with the position
// of the first mistake in the error.
#pragma once

#include <boost/json/value.hpp>

#include <string_view>

namespace mcpd::config::detail {

/// Throws ConfigError "<source>: invalid JSON at line L, column C (<reason>)". The text itself is never
/// quoted, so secrets inside it stay out of the message.
boost::json::value parse_json_text(std::string_view text, std::string_view source);

}  // namespace mcpd::config::detail
