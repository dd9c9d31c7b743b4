#include "config/schema_walk.hpp"

#include "schema/pattern.hpp"

#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace mcpd::config::detail {
namespace json = boost::json;

namespace {

// Bounds $ref hops and allOf/anyOf/oneOf nesting, so cyclic schemas end.
constexpr int kMaxSchemaHops = 32;

// "#/a/b~1c" -> the value there, or nullptr.
const json::value* follow_pointer(const json::value& root, std::string_view ref) {
  if (!ref.starts_with("#")) return nullptr;
  std::string_view pointer = ref.substr(1);
  const json::value* current = &root;
  while (!pointer.empty()) {
    if (pointer.front() != '/') return nullptr;
    pointer.remove_prefix(1);
    const std::size_t end = std::min(pointer.find('/'), pointer.size());
    std::string token;
    for (std::size_t i = 0; i < end; ++i) {
      if (pointer[i] == '~' && i + 1 < end && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
        token += pointer[++i] == '0' ? '~' : '/';
      } else {
        token += pointer[i];
      }
    }
    pointer.remove_prefix(end);
    if (current->is_object()) {
      current = current->get_object().if_contains(token);
    } else if (current->is_array() && !token.empty() && token.size() < 10 &&
               token.find_first_not_of("0123456789") == std::string::npos &&
               std::stoul(token) < current->get_array().size()) {
      current = &current->get_array()[std::stoul(token)];
    } else {
      current = nullptr;
    }
    if (current == nullptr) return nullptr;
  }
  return current;
}

bool pattern_matches(std::string_view pattern, std::string_view key) {
  try {
    return schema::detail::Pattern(std::string(pattern)).matches(key);
  } catch (const std::invalid_argument&) {
    return false;  // a broken pattern is reported by the validator
  }
}

const json::object* as_object(const json::value* v) {
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

}  // namespace

const json::value* SchemaWalk::resolve(const json::value* schema) const {
  for (int hop = 0; hop < kMaxSchemaHops; ++hop) {
    const json::object* s = as_object(schema);
    if (s == nullptr) return nullptr;
    const auto* ref = s->if_contains("$ref");
    // Keywords beside "$ref" still apply, but the ones this walk reads are rarely split that way.
    if (ref == nullptr || !ref->is_string() || s->contains("properties") || s->contains("items"))
      return schema;
    schema = follow_pointer(root_, ref->get_string());
  }
  return nullptr;
}

void SchemaWalk::expand(const json::value* schema, SchemaSet& out, int depth) const {
  const json::value* resolved = depth > kMaxSchemaHops ? nullptr : resolve(schema);
  if (resolved == nullptr || std::find(out.begin(), out.end(), resolved) != out.end()) return;
  out.push_back(resolved);
  for (const std::string_view keyword : {"allOf", "anyOf", "oneOf"}) {
    const auto* parts = resolved->get_object().if_contains(keyword);
    if (parts == nullptr || !parts->is_array()) continue;
    for (const auto& part : parts->get_array()) expand(&part, out, depth + 1);
  }
}

SchemaSet SchemaWalk::expand(const SchemaSet& schemas) const {
  SchemaSet out;
  for (const auto* schema : schemas) expand(schema, out, 0);
  return out;
}

KeyLookup SchemaWalk::key(const SchemaSet& object_schemas, std::string_view key) const {
  KeyLookup lookup;
  bool lists_keys = false, open = false, forbidden = false;
  for (const json::value* schema : expand(object_schemas)) {
    const json::object& s = schema->get_object();
    bool declared_here = false;
    if (const auto* properties = as_object(s.if_contains("properties"))) {
      lists_keys = true;
      if (const auto* declared = properties->if_contains(key)) {
        lookup.schemas.push_back(declared);
        declared_here = true;
      }
    }
    if (const auto* patterns = as_object(s.if_contains("patternProperties"))) {
      lists_keys = true;
      for (const auto& member : *patterns) {
        if (!pattern_matches(member.key(), key)) continue;
        lookup.schemas.push_back(&member.value());
        declared_here = true;
      }
    }
    const auto* additional = s.if_contains("additionalProperties");
    if (declared_here || additional == nullptr) continue;
    if (additional->is_bool()) {
      (additional->get_bool() ? open : forbidden) = true;
    } else {
      lookup.schemas.push_back(additional);
    }
  }
  if (!lookup.schemas.empty()) {
    lookup.status = KeyStatus::kDeclared;
  } else if (forbidden) {
    lookup.status = KeyStatus::kForbidden;
  } else if (lists_keys && !open) {
    lookup.status = KeyStatus::kUndeclared;
  }
  return lookup;
}

std::vector<std::string> SchemaWalk::declared_names(const SchemaSet& object_schemas) const {
  std::vector<std::string> names;
  for (const json::value* schema : expand(object_schemas)) {
    if (const auto* properties = as_object(schema->get_object().if_contains("properties"))) {
      for (const auto& member : *properties) names.emplace_back(member.key());
    }
  }
  return names;
}

SchemaSet SchemaWalk::item(const SchemaSet& array_schemas, std::size_t index) const {
  SchemaSet out;
  for (const json::value* schema : expand(array_schemas)) {
    const json::object& s = schema->get_object();
    const auto* prefix = s.if_contains("prefixItems");
    if (prefix != nullptr && prefix->is_array() && index < prefix->get_array().size()) {
      out.push_back(&prefix->get_array()[index]);
      continue;
    }
    const auto* items = s.if_contains("items");
    if (items == nullptr) continue;
    if (!items->is_array()) {
      out.push_back(items);
    } else if (index < items->get_array().size()) {  // the tuple form of older drafts
      out.push_back(&items->get_array()[index]);
    }
  }
  return out;
}

bool SchemaWalk::is_write_only(const SchemaSet& schemas) const {
  for (const json::value* schema : schemas) {
    // Check the schema itself and everything it expands to, following $ref chains hop by hop.
    for (int hop = 0; schema != nullptr && hop < kMaxSchemaHops; ++hop) {
      const json::object* s = as_object(schema);
      if (s == nullptr) break;
      if (const auto* flag = s->if_contains("writeOnly"); flag && flag->is_bool() && flag->get_bool())
        return true;
      const auto* ref = s->if_contains("$ref");
      schema = ref != nullptr && ref->is_string() ? follow_pointer(root_, ref->get_string()) : nullptr;
    }
  }
  for (const json::value* part : expand(schemas)) {
    if (const auto* flag = part->get_object().if_contains("writeOnly");
        flag && flag->is_bool() && flag->get_bool()) {
      return true;
    }
  }
  return false;
}

}  // namespace mcpd::config::detail
