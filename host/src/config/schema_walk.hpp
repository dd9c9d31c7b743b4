// Finding which part of a plugin's config schema describes a given key of its section, on the schema's JSON
// (no compilation): enough to spot undeclared keys and secrets.
#pragma once

#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::config::detail {

enum class KeyStatus {
  kDeclared,   // listed in "properties"/"patternProperties", or covered by an "additionalProperties" schema
  kUndeclared, // not declared, and the schema neither allows nor forbids extra keys explicitly
  kForbidden,  // "additionalProperties": false (validation reports it)
  kUnknown,    // the schema cannot tell (no object keywords, anyOf/oneOf alternatives, unresolvable $ref)
};

struct KeySchema {
  KeyStatus status = KeyStatus::kUnknown;
  const boost::json::value* schema = nullptr;  // the subschema of the key's value, when declared
};

class SchemaWalk {
 public:
  explicit SchemaWalk(const boost::json::value& root) : root_(root) {}

  const boost::json::value& root() const { return root_; }

  /// Follows "$ref": "#/..." (a bounded number of hops); nullptr when it leads nowhere.
  const boost::json::value* resolve(const boost::json::value* schema) const;

  KeySchema key(const boost::json::value* object_schema, std::string_view key) const;

  /// The property names the schema lists (including those of its allOf parts), for "did you mean".
  std::vector<std::string> declared_names(const boost::json::value* object_schema) const;

  /// The schema of array element `index`, or nullptr.
  const boost::json::value* item(const boost::json::value* array_schema, std::size_t index) const;

  /// "writeOnly": true on the schema, on what it references, or on one of its allOf parts.
  bool is_write_only(const boost::json::value* schema) const;

 private:
  bool is_write_only(const boost::json::value* schema, int depth) const;
  KeySchema key(const boost::json::value* object_schema, std::string_view key, int depth) const;
  void declared_names(const boost::json::value* object_schema, std::vector<std::string>& out, int depth) const;

  const boost::json::value& root_;
};

}  // namespace mcpd::config::detail
