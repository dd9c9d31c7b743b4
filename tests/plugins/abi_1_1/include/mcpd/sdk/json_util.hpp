// Small JSON conveniences for plugin authors.
#ifndef MCPD_SDK_JSON_UTIL_HPP
#define MCPD_SDK_JSON_UTIL_HPP

#include <mcpd/sdk/detail/json_text.hpp>
#include <mcpd/sdk/error.hpp>

#include <string_view>

namespace mcpd::sdk {

/// Parses JSON text that must be an object, e.g. a schema written as a raw string literal:
///   .input_schema = sdk::parse_object(R"({"type": "object", "properties": {...}})")
/// Throws sdk::error(MCPD_ERR_INVALID_ARGUMENT) saying what is wrong with the text.
inline json::object parse_object(std::string_view json_text) {
  return detail::parse_object(json_text, "the JSON text passed to sdk::parse_object");
}

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_JSON_UTIL_HPP
