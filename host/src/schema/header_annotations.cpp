#include "schema/header_annotations.hpp"

#include <boost/json.hpp>

#include <cctype>
#include <set>
#include <string_view>

namespace mcpd::schema {
namespace json = boost::json;

namespace {

constexpr std::string_view kAnnotation = "x-mcp-header";

bool is_token(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0) continue;
    if (std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

// The first annotation found anywhere under `value`, as a path for the message.
std::optional<std::string> find_annotation(const json::value& value, const std::string& path) {
  if (const auto* o = value.if_object()) {
    for (const auto& [key, child] : *o) {
      if (key == kAnnotation) return path;
      if (auto found = find_annotation(child, path + "/" + std::string(key))) return found;
    }
  } else if (const auto* a = value.if_array()) {
    for (std::size_t i = 0; i < a->size(); ++i)
      if (auto found = find_annotation((*a)[i], path + "/" + std::to_string(i))) return found;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_header_annotations(const json::value& input_schema) {
  const auto* root = input_schema.if_object();
  if (root == nullptr) return std::nullopt;
  std::set<std::string> seen;  // lower case
  for (const auto& [key, child] : *root) {
    if (key == kAnnotation) return "has \"x-mcp-header\" on the schema itself; put it on a property";
    if (key != "properties") {
      if (auto found = find_annotation(child, "/" + std::string(key)))
        return "has \"x-mcp-header\" at " + *found +
               ": it is only allowed on a property reached through \"properties\" from the root";
      continue;
    }
    const auto* properties = child.if_object();
    if (properties == nullptr) continue;
    for (const auto& [name, property] : *properties) {
      const auto* p = property.if_object();
      if (p == nullptr) continue;
      const std::string where = "property \"" + std::string(name) + "\"";
      for (const auto& [inner_key, inner] : *p)
        if (inner_key != kAnnotation)
          if (auto found =
                  find_annotation(inner, "/properties/" + std::string(name) + "/" + std::string(inner_key)))
            return "has \"x-mcp-header\" at " + *found +
                   ": it is only allowed on a property reached through \"properties\" from the root";
      const auto* header = p->if_contains(kAnnotation);
      if (header == nullptr) continue;
      if (!header->is_string() || !is_token(header->get_string()))
        return where +
               ": \"x-mcp-header\" must be a non-empty HTTP token (letters, digits, !#$%&'*+-.^_`|~), got " +
               json::serialize(*header);
      const auto* type = p->if_contains("type");
      if (type == nullptr || !type->is_string() ||
          (type->get_string() != "string" && type->get_string() != "integer" &&
           type->get_string() != "boolean"))
        return where +
               ": \"x-mcp-header\" needs \"type\" \"string\", \"integer\" or \"boolean\" (a header cannot "
               "carry a number exactly, nor an object or array)";
      std::string lower(header->get_string());
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (!seen.insert(lower).second)
        return where + ": \"x-mcp-header\" \"" + std::string(header->get_string()) +
               "\" is used twice (header names do not differ by case)";
    }
  }
  return std::nullopt;
}

}  // namespace mcpd::schema
