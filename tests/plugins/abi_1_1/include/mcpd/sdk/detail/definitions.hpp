// Specs -> the definition_json the registrar expects, checked first so a mistake fails init with a message
// that names the definition and the fix (the host would only say "refused").
#ifndef MCPD_SDK_DETAIL_DEFINITIONS_HPP
#define MCPD_SDK_DETAIL_DEFINITIONS_HPP

#include <mcpd/sdk/error.hpp>
#include <mcpd/sdk/specs.hpp>

#include <string>
#include <string_view>

namespace mcpd::sdk::detail {

/// Tool and prompt names: [A-Za-z0-9_-], 1..64 bytes (the ABI's rule; clients reject anything else).
constexpr bool is_valid_item_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 64) {
    return false;
  }
  for (const char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

/// Plugin namespaces: [a-z0-9_-], 1..32 bytes.
constexpr bool is_valid_namespace(std::string_view name) noexcept {
  if (name.empty() || name.size() > 32) {
    return false;
  }
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

inline void require(bool condition, std::string_view message) {
  if (!condition) {
    throw error(MCPD_ERR_INVALID_ARGUMENT, std::string(message));
  }
}

inline void require_item_name(std::string_view kind, std::string_view name) {
  require(is_valid_item_name(name), std::string(kind) + " name \"" + std::string(name) +
                                        "\" is invalid: use 1 to 64 characters from A-Z a-z 0-9 _ -");
}

inline void require_object_schema(const json::object& schema, std::string_view where) {
  const auto* type = schema.if_contains("type");
  require(type != nullptr && type->is_string() && type->get_string() == "object",
          std::string(where) +
              " must be a JSON Schema with \"type\": \"object\" (for no parameters use "
              "{\"type\":\"object\",\"additionalProperties\":false})");
}

inline void put_if_not_empty(json::object& target, std::string_view key, const std::string& value) {
  if (!value.empty()) {
    target[key] = value;
  }
}

template <class T>
void put_if_present(json::object& target, std::string_view key, const std::optional<T>& value) {
  if (value) {
    target[key] = *value;
  }
}

inline std::string tool_definition_json(const tool_spec& spec) {
  require_item_name("tool", spec.name);
  const std::string who = "tool \"" + spec.name + "\"";
  require(!spec.description.empty(), who + " needs a description (tool_spec::description)");
  require_object_schema(spec.input_schema, who + ": input_schema");
  if (spec.output_schema) {
    require_object_schema(*spec.output_schema, who + ": output_schema");
  }
  json::object definition;
  put_if_not_empty(definition, "title", spec.title);
  definition["description"] = spec.description;
  definition["inputSchema"] = spec.input_schema;
  put_if_present(definition, "outputSchema", spec.output_schema);
  put_if_present(definition, "annotations", spec.annotations);
  put_if_present(definition, "icons", spec.icons);
  put_if_present(definition, "execution", spec.execution);
  put_if_present(definition, "_meta", spec.meta);
  return json::serialize(definition);
}

inline std::string resource_definition_json(const resource_spec& spec) {
  require(!spec.uri.empty(), "a resource needs a uri (resource_spec::uri)");
  require(!spec.name.empty(), "resource \"" + spec.uri + "\" needs a name (resource_spec::name)");
  json::object definition;
  definition["name"] = spec.name;
  put_if_not_empty(definition, "title", spec.title);
  put_if_not_empty(definition, "description", spec.description);
  put_if_not_empty(definition, "mimeType", spec.mime_type);
  put_if_present(definition, "size", spec.size);
  put_if_present(definition, "annotations", spec.annotations);
  put_if_present(definition, "icons", spec.icons);
  put_if_present(definition, "_meta", spec.meta);
  return json::serialize(definition);
}

inline std::string resource_template_definition_json(const resource_template_spec& spec) {
  require(!spec.uri_template.empty(),
          "a resource template needs a uri_template (resource_template_spec::uri_template)");
  require(!spec.name.empty(),
          "resource template \"" + spec.uri_template + "\" needs a name (resource_template_spec::name)");
  json::object definition;
  definition["name"] = spec.name;
  put_if_not_empty(definition, "title", spec.title);
  put_if_not_empty(definition, "description", spec.description);
  put_if_not_empty(definition, "mimeType", spec.mime_type);
  put_if_present(definition, "annotations", spec.annotations);
  put_if_present(definition, "icons", spec.icons);
  put_if_present(definition, "_meta", spec.meta);
  return json::serialize(definition);
}

inline std::string prompt_definition_json(const prompt_spec& spec) {
  require_item_name("prompt", spec.name);
  json::object definition;
  put_if_not_empty(definition, "title", spec.title);
  put_if_not_empty(definition, "description", spec.description);
  if (!spec.arguments.empty()) {
    json::array arguments;
    for (const prompt_argument& argument : spec.arguments) {
      require(!argument.name.empty(), "prompt \"" + spec.name + "\" has an argument without a name");
      json::object entry;
      entry["name"] = argument.name;
      put_if_not_empty(entry, "title", argument.title);
      put_if_not_empty(entry, "description", argument.description);
      entry["required"] = argument.required;
      arguments.push_back(std::move(entry));
    }
    definition["arguments"] = std::move(arguments);
  }
  put_if_present(definition, "icons", spec.icons);
  put_if_present(definition, "_meta", spec.meta);
  return json::serialize(definition);
}

}  // namespace mcpd::sdk::detail

#endif  // MCPD_SDK_DETAIL_DEFINITIONS_HPP
