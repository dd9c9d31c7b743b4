#pragma once
/// \file
/// Tool definitions kept as data: a JSON object per tool turned into a tool_spec, so long schemas read as
/// JSON and the C++ around them stays short.

#include <stdexcept>
#include <string>
#include <string_view>

#include "json_util.hpp"
#include "specs.hpp"

namespace mcpd::sdk {

/// Builds a tool_spec from `definition`, an object with the MCP Tool fields other than name and
/// description: "inputSchema" (required), "title", "outputSchema", "annotations", "icons", "_meta",
/// "execution". Throws std::logic_error naming the tool when a member has the wrong type or is unknown:
/// a broken definition must fail init loudly, never publish half a tool.
inline tool_spec tool_spec_from_object(std::string_view name, std::string_view description,
                                       const json::object& definition) {
  const std::string tool(name);
  auto fail = [&](const std::string& why) -> std::logic_error {
    return std::logic_error("tool definition of " + tool + ": " + why);
  };
  auto object_of = [&](const json::value& v, std::string_view key) {
    if (!v.is_object()) throw fail("\"" + std::string(key) + "\" must be a JSON object");
    return v.get_object();
  };
  tool_spec spec;
  spec.name = tool;
  spec.description = std::string(description);
  for (const auto& [key, value] : definition) {
    if (key == "title") {
      if (!value.is_string()) throw fail("\"title\" must be a string");
      spec.title = std::string(value.get_string());
    } else if (key == "inputSchema") {
      spec.input_schema = object_of(value, key);
    } else if (key == "outputSchema") {
      spec.output_schema = object_of(value, key);
    } else if (key == "annotations") {
      spec.annotations = object_of(value, key);
    } else if (key == "_meta") {
      spec.meta = object_of(value, key);
    } else if (key == "execution") {
      spec.execution = object_of(value, key);
    } else if (key == "icons") {
      if (!value.is_array()) throw fail("\"icons\" must be a JSON array");
      spec.icons = value.get_array();
    } else {
      throw fail("unknown member \"" + std::string(key) + "\"");
    }
  }
  if (spec.input_schema.empty()) throw fail("\"inputSchema\" is required");
  return spec;
}

/// The same from JSON text (the description stays separate, so long prose can be ordinary C++ text).
inline tool_spec tool_spec_from_json(std::string_view name, std::string_view description,
                                     std::string_view definition_json) {
  json::object definition;
  try {
    definition = parse_object(definition_json);
  } catch (const std::exception& bad_json) {
    throw std::logic_error("tool definition of " + std::string(name) + ": " + bad_json.what());
  }
  return tool_spec_from_object(name, description, definition);
}

}  // namespace mcpd::sdk
