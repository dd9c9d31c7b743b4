#include "tool_spec_json.hpp"

#include <stdexcept>
#include <string>

namespace mcpd::gemini {
namespace {

boost::json::object object_member(const boost::json::value& value, std::string_view key,
                                  std::string_view tool) {
  if (!value.is_object()) {
    throw std::logic_error("tool definition of " + std::string(tool) + ": \"" + std::string(key) +
                           "\" must be a JSON object");
  }
  return value.get_object();
}

}  // namespace

sdk::tool_spec tool_spec_from_json(std::string_view name, std::string_view description,
                                   std::string_view definition_json) {
  boost::json::object definition;
  try {
    definition = sdk::parse_object(definition_json);
  } catch (const sdk::error& bad_json) {
    throw std::logic_error("tool definition of " + std::string(name) + ": " + bad_json.what());
  }

  sdk::tool_spec spec;
  spec.name = std::string(name);
  spec.description = std::string(description);
  for (const auto& [key, value] : definition) {
    if (key == "title") {
      if (!value.is_string())
        throw std::logic_error("tool definition of " + spec.name + ": title must be a string");
      spec.title = std::string(value.get_string());
    } else if (key == "inputSchema") {
      spec.input_schema = object_member(value, key, name);
    } else if (key == "outputSchema") {
      spec.output_schema = object_member(value, key, name);
    } else if (key == "annotations") {
      spec.annotations = object_member(value, key, name);
    } else {
      throw std::logic_error("tool definition of " + spec.name + " has an unknown field \"" +
                             std::string(key) + "\"");
    }
  }
  if (spec.input_schema.empty())
    throw std::logic_error("tool definition of " + spec.name + " has no inputSchema");
  return spec;
}

}  // namespace mcpd::gemini
