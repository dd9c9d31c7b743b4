#include "schema/json_values.hpp"
#include "schema/validator.hpp"

#include <boost/json/object.hpp>

namespace mcpd::schema {

std::optional<std::string> check_tool_input_schema(const boost::json::value& schema) {
  if (!schema.is_object()) {
    return "inputSchema must be a JSON object schema, got " + detail::describe_value(schema);
  }
  const auto* type = schema.get_object().if_contains("type");
  if (type == nullptr) {
    return "inputSchema must declare \"type\": \"object\" (MCP tool arguments are always an object; for a "
           "tool "
           "without parameters use {\"type\": \"object\", \"additionalProperties\": false})";
  }
  if (!type->is_string() || type->get_string() != "object") {
    return "inputSchema must declare \"type\": \"object\" (MCP tool arguments are always an object), got "
           "\"type\": " +
           detail::short_json(*type);
  }
  return std::nullopt;
}

}  // namespace mcpd::schema
