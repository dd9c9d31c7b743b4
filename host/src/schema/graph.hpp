// The compiled form of a schema: a graph of nodes, one per subschema, that validation walks without looking
// at the schema's JSON again. $ref edges make it a graph rather than a tree (recursive schemas are cycles).
#pragma once

#include "schema/formats.hpp"
#include "schema/pattern.hpp"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mcpd::schema::detail {

using NodeId = std::uint32_t;

/// Bits of Node::types; "integer" is separate because 3.0 is an integer but 3.5 only a number.
enum TypeBit : std::uint8_t {
  kTypeNull = 1 << 0,
  kTypeBoolean = 1 << 1,
  kTypeObject = 1 << 2,
  kTypeArray = 1 << 3,
  kTypeNumber = 1 << 4,
  kTypeString = 1 << 5,
  kTypeInteger = 1 << 6,
};

/// Lets property lookups take the instance's string_view keys without allocating a std::string.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct Node {
  /// Where the subschema sits, as a JSON pointer fragment ("#/properties/a"), for messages.
  std::string location;
  /// The schema resource (Graph::resources) it belongs to: what "$dynamicRef" looks for in the dynamic scope.
  std::uint32_t resource = 0;

  bool accepts_everything = false;  // the schema `true` or `{}`-like
  bool rejects_everything = false;  // the schema `false`
  /// "writeOnly": true here or on a schema this one always applies: values are never echoed in messages.
  bool write_only = false;

  std::uint8_t types = 0;  // 0: any type

  // Any type.
  std::optional<boost::json::array> enum_values;
  /// Long enums only: hash of a member -> its index, so that a 100,000-member enum costs a lookup, not a
  /// scan.
  std::unordered_multimap<std::size_t, std::size_t> enum_index;
  std::optional<boost::json::value> const_value;
  std::optional<NodeId> ref;
  /// "$dynamicRef": the schema its URI names, and the "$dynamicAnchor" name to look up in the dynamic scope
  /// instead (empty when the named schema declares no such anchor: it then works like "$ref").
  std::optional<NodeId> dynamic_ref;
  std::string dynamic_anchor;
  std::vector<NodeId> all_of, any_of, one_of;
  std::optional<NodeId> not_schema;
  std::string not_schema_text;  // the "not" schema, shortened, for its message
  std::optional<NodeId> if_schema, then_schema, else_schema;

  // Numbers.
  std::optional<boost::json::value> minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;

  // Strings.
  std::optional<std::size_t> min_length, max_length;
  std::optional<Pattern> pattern;
  Format format = Format::kNone;

  // Arrays.
  std::vector<NodeId> prefix_items;
  std::optional<NodeId> items;  // applies past prefix_items
  std::optional<NodeId> contains;
  std::size_t min_contains = 1;
  std::optional<std::size_t> max_contains;
  std::optional<std::size_t> min_items, max_items;
  bool unique_items = false;

  // Objects.
  std::vector<std::string> required;
  std::vector<std::pair<std::string, NodeId>> properties;  // in schema order, for "allowed: ..." lists
  std::unordered_map<std::string, NodeId, StringHash, std::equal_to<>> property_index;
  std::vector<std::pair<Pattern, NodeId>> pattern_properties;
  std::optional<NodeId> additional_properties;
  std::optional<NodeId> property_names;
  std::optional<std::size_t> min_properties, max_properties;
  std::vector<std::pair<std::string, std::vector<std::string>>> dependent_required;
  std::vector<std::pair<std::string, NodeId>> dependent_schemas;

  // Both kinds: whatever no other keyword of this schema (or of the subschemas it applies in place)
  // evaluated.
  std::optional<NodeId> unevaluated_properties, unevaluated_items;
  bool tracks_evaluated() const { return unevaluated_properties || unevaluated_items; }
};

/// A schema resource ("$id", or a document's root) that some node belongs to.
struct GraphResource {
  std::vector<std::pair<std::string, NodeId>> dynamic_anchors;  // "$dynamicAnchor" name -> its schema
};

struct Graph {
  std::vector<Node> nodes;
  NodeId root = 0;
  std::vector<GraphResource> resources;
  /// Some "$dynamicRef" depends on the dynamic scope, so evaluation keeps track of the resources it enters.
  bool tracks_dynamic_scope = false;
};

}  // namespace mcpd::schema::detail
