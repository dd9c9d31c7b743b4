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

constexpr int kMaxRefHops = 32;

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

}  // namespace

const json::value* SchemaWalk::resolve(const json::value* schema) const {
  for (int hop = 0; schema != nullptr && hop < kMaxRefHops; ++hop) {
    if (!schema->is_object()) return schema;
    const auto* ref = schema->get_object().if_contains("$ref");
    if (ref == nullptr || !ref->is_string()) return schema;
    // With siblings next to "$ref" the object itself still describes the key; keep it when it has properties.
    if (schema->get_object().contains("properties")) return schema;
    schema = follow_pointer(root_, ref->get_string());
  }
  return schema != nullptr && schema->is_object() && schema->get_object().contains("$ref") ? nullptr : schema;
}

KeySchema SchemaWalk::key(const json::value* object_schema, std::string_view key) const {
  return this->key(object_schema, key, 0);
}

KeySchema SchemaWalk::key(const json::value* object_schema, std::string_view key, int depth) const {
  const json::value* schema = depth > kMaxRefHops ? nullptr : resolve(object_schema);
  if (schema == nullptr || !schema->is_object()) return {};
  const auto& s = schema->get_object();
  if (s.contains("anyOf") || s.contains("oneOf")) return {};
  if (const auto* properties = s.if_contains("properties"); properties && properties->is_object()) {
    if (const auto* declared = properties->get_object().if_contains(key)) return {KeyStatus::kDeclared, declared};
  }
  if (const auto* patterns = s.if_contains("patternProperties"); patterns && patterns->is_object()) {
    for (const auto& member : patterns->get_object()) {
      if (pattern_matches(member.key(), key)) return {KeyStatus::kDeclared, &member.value()};
    }
  }
  // allOf parts may declare properties too (schemas composed from shared pieces).
  if (const auto* parts = s.if_contains("allOf"); parts && parts->is_array()) {
    for (const auto& part : parts->get_array()) {
      const KeySchema found = this->key(&part, key, depth + 1);
      if (found.status == KeyStatus::kDeclared) return found;
    }
  }
  if (const auto* additional = s.if_contains("additionalProperties")) {
    if (additional->is_bool()) return {additional->get_bool() ? KeyStatus::kUnknown : KeyStatus::kForbidden, nullptr};
    return {KeyStatus::kDeclared, additional};
  }
  const bool lists_keys = s.contains("properties") || s.contains("patternProperties");
  return {lists_keys ? KeyStatus::kUndeclared : KeyStatus::kUnknown, nullptr};
}

std::vector<std::string> SchemaWalk::declared_names(const json::value* object_schema) const {
  std::vector<std::string> names;
  declared_names(object_schema, names, 0);
  return names;
}

void SchemaWalk::declared_names(const json::value* object_schema, std::vector<std::string>& out, int depth) const {
  const json::value* schema = depth > kMaxRefHops ? nullptr : resolve(object_schema);
  if (schema == nullptr || !schema->is_object()) return;
  const auto& s = schema->get_object();
  if (const auto* properties = s.if_contains("properties"); properties && properties->is_object()) {
    for (const auto& member : properties->get_object()) out.emplace_back(member.key());
  }
  if (const auto* parts = s.if_contains("allOf"); parts && parts->is_array()) {
    for (const auto& part : parts->get_array()) declared_names(&part, out, depth + 1);
  }
}

const json::value* SchemaWalk::item(const json::value* array_schema, std::size_t index) const {
  const json::value* schema = resolve(array_schema);
  if (schema == nullptr || !schema->is_object()) return nullptr;
  const auto& s = schema->get_object();
  if (const auto* prefix = s.if_contains("prefixItems"); prefix && prefix->is_array()) {
    if (index < prefix->get_array().size()) return &prefix->get_array()[index];
  }
  if (const auto* items = s.if_contains("items")) {
    if (items->is_array()) return index < items->get_array().size() ? &items->get_array()[index] : nullptr;
    return items;
  }
  return nullptr;
}

bool SchemaWalk::is_write_only(const json::value* schema) const { return is_write_only(schema, 0); }

bool SchemaWalk::is_write_only(const json::value* schema, int depth) const {
  if (schema == nullptr || !schema->is_object() || depth > kMaxRefHops) return false;
  const auto& s = schema->get_object();
  if (const auto* flag = s.if_contains("writeOnly"); flag && flag->is_bool() && flag->get_bool()) return true;
  if (const auto* ref = s.if_contains("$ref"); ref && ref->is_string()) {
    if (is_write_only(follow_pointer(root_, ref->get_string()), depth + 1)) return true;
  }
  if (const auto* parts = s.if_contains("allOf"); parts && parts->is_array()) {
    for (const auto& part : parts->get_array()) {
      if (is_write_only(&part, depth + 1)) return true;
    }
  }
  return false;
}

}  // namespace mcpd::config::detail
