// Finding which parts of a plugin's config schema describe a given key of its section, on the schema's JSON
// (no compilation): enough to spot undeclared keys and secrets.
#pragma once

#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::config::detail {

/// Every subschema that applies to one value. A key can be described by several at once: by "properties" of
/// the schema itself and of its allOf/anyOf/oneOf parts, by "patternProperties", by "additionalProperties".
using SchemaSet = std::vector<const boost::json::value*>;

enum class KeyStatus {
  kDeclared,    // some schema in the set describes the key (its schemas are in KeyLookup::schemas)
  kUndeclared,  // the set lists its keys, this is not one of them, and extra keys are neither allowed nor
                // forbidden
  kForbidden,   // "additionalProperties": false (validation reports it)
  kOpen,        // the set cannot tell or explicitly allows any key
};

struct KeyLookup {
  KeyStatus status = KeyStatus::kOpen;
  SchemaSet schemas;
};

class SchemaWalk {
 public:
  explicit SchemaWalk(const boost::json::value& root) : root_(root) {}

  KeyLookup key(const SchemaSet& object_schemas, std::string_view key) const;

  /// The property names the set lists, for "did you mean".
  std::vector<std::string> declared_names(const SchemaSet& object_schemas) const;

  /// The schemas of array element `index`.
  SchemaSet item(const SchemaSet& array_schemas, std::size_t index) const;

  /// "writeOnly": true on any schema of the set, on what one references, or on one of its parts.
  bool is_write_only(const SchemaSet& schemas) const;

 private:
  struct KeySearch;

  /// Follows "$ref": "#/..." (a bounded number of hops); nullptr when it leads nowhere or is not an object.
  const boost::json::value* resolve(const boost::json::value* schema) const;
  /// The schema and, recursively, its allOf/anyOf/oneOf parts, each resolved.
  void expand(const boost::json::value* schema, SchemaSet& out, int depth) const;
  SchemaSet expand(const SchemaSet& schemas) const;

  const boost::json::value& root_;
};

}  // namespace mcpd::config::detail
