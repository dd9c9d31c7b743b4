#include "schema/compiler.hpp"

#include "schema/compile_failure.hpp"
#include "schema/graph_checks.hpp"
#include "schema/json_pointer.hpp"
#include "schema/json_values.hpp"
#include "schema/resource_index.hpp"
#include "schema/uri_reference.hpp"
#include "schema/vocabularies.hpp"

#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mcpd::schema::detail {
namespace json = boost::json;

namespace {

// Enums longer than this get a hash index (Node::enum_index); shorter ones are scanned.
constexpr std::size_t kEnumScanLimit = 16;

constexpr std::string_view kDialect2020 = "https://json-schema.org/draft/2020-12/schema";

bool is_schema(const json::value& v) {
  return v.is_object() || v.is_bool();
}

std::string quoted(std::string_view text) {
  return short_json(json::value(json::string_view(text.data(), text.size())));
}

const std::vector<std::pair<std::string_view, std::uint8_t>>& type_names() {
  static const std::vector<std::pair<std::string_view, std::uint8_t>> names = {
      {"string", kTypeString}, {"number", kTypeNumber}, {"integer", kTypeInteger}, {"boolean", kTypeBoolean},
      {"object", kTypeObject}, {"array", kTypeArray},   {"null", kTypeNull},
  };
  return names;
}

// Where a keyword is being compiled: the subschema's address and its location as messages show it.
struct Here {
  const SchemaAddress& address;
  const std::string& at;
  const Vocabularies& vocabularies;

  SchemaAddress child(std::string_view keyword) const {
    return {address.document, address.pointer + "/" + escape_pointer_token(keyword)};
  }
  SchemaAddress child(std::string_view keyword, std::string_view key) const {
    return {address.document, child(keyword).pointer + "/" + escape_pointer_token(key)};
  }
  SchemaAddress child(std::string_view keyword, std::size_t index) const {
    return {address.document, child(keyword).pointer + "/" + std::to_string(index)};
  }
  std::string child_at(std::string_view keyword) const { return at + "/" + escape_pointer_token(keyword); }
};

class Compiler {
 public:
  Compiler(const json::value& root, const CompileOptions& options)
      : index_(root, options.documents), formats_(options.formats) {}

  Graph run() {
    Graph graph;
    graph.root = compile({0, ""}, 0);
    graph.nodes = std::move(nodes_);
    graph.resources = std::move(resources_);
    for (const auto& node : graph.nodes) graph.tracks_dynamic_scope |= !node.dynamic_anchor.empty();
    propagate_write_only(graph);
    reject_endless_loops(graph);
    return graph;
  }

 private:
  // ---- subschemas
  // ------------------------------------------------------------------------------------------

  NodeId compile(const SchemaAddress& address, std::size_t depth) {
    std::string key = std::to_string(address.document) + ":" + address.pointer;
    if (const auto found = by_address_.find(key); found != by_address_.end()) return found->second;
    const std::string at = index_.describe(address);
    if (depth > kMaxSchemaDepth) {
      fail_at(at, "the schema is nested more than " + std::to_string(kMaxSchemaDepth) + " levels deep");
    }
    const json::value& schema = index_.value(address);
    if (!is_schema(schema))
      fail_at(at, "a schema must be an object or a boolean, got " + describe_value(schema));

    // Reserve the id first so that a $ref back to this location (a recursive schema) finds it.
    const auto id = static_cast<NodeId>(nodes_.size());
    nodes_.emplace_back();
    by_address_.emplace(std::move(key), id);

    const std::size_t resource = index_.resource_of(address);
    Node node;
    node.location = at;
    node.resource = graph_resource(resource, depth);
    if (schema.is_bool()) {
      (schema.get_bool() ? node.accepts_everything : node.rejects_everything) = true;
    } else {
      const Vocabularies vocabularies = vocabularies_of(resource);
      compile_keywords(schema.get_object(), Here{address, at, vocabularies}, depth, node);
    }
    nodes_[id] = std::move(node);
    return id;
  }

  // The graph's copy of a resource, made the first time a node of it is compiled. Its dynamic anchors are
  // compiled with it: once evaluation has entered the resource, a "$dynamicRef" anywhere may land on them.
  std::uint32_t graph_resource(std::size_t resource, std::size_t depth) {
    if (const auto found = graph_resource_of_.find(resource); found != graph_resource_of_.end()) {
      return found->second;
    }
    const auto id = static_cast<std::uint32_t>(resources_.size());
    resources_.emplace_back();
    graph_resource_of_.emplace(resource, id);
    // Copies: compiling may index more documents, which moves the index's resources.
    const std::size_t document = index_.resource(resource).document;
    const auto anchors = index_.resource(resource).dynamic_anchors;
    for (const auto& [name, pointer] : anchors) {
      const NodeId target = compile({document, pointer}, depth + 1);
      resources_[id].dynamic_anchors.emplace_back(name, target);
    }
    return id;
  }

  // A resource's dialect: its own "$schema", else that of the resource around it.
  Vocabularies vocabularies_of(std::size_t resource) {
    if (const auto found = vocabularies_.find(resource); found != vocabularies_.end()) return found->second;
    // Copies: looking the dialect up may index more documents, which moves the index's resources.
    const SchemaAddress root{index_.resource(resource).document, index_.resource(resource).pointer};
    const std::optional<std::size_t> parent = index_.resource(resource).parent;
    const json::value& schema = index_.value(root);
    const json::value* dialect = schema.is_object() ? schema.get_object().if_contains("$schema") : nullptr;
    Vocabularies vocabularies;
    if (dialect != nullptr && dialect->is_string()) {
      vocabularies = dialect_vocabularies(dialect->get_string(), index_.describe(root));
    } else if (parent) {
      vocabularies = vocabularies_of(*parent);
    }
    vocabularies_.emplace(resource, vocabularies);
    return vocabularies;
  }

  Vocabularies dialect_vocabularies(std::string_view dialect, const std::string& at) {
    if (without_fragment(dialect) == kDialect2020) return {};
    ResourceIndex::Miss miss{};
    const auto metaschema = index_.locate(resolve_uri("", dialect), miss);
    if (!metaschema) return {};  // a dialect mcpd cannot look up (draft-07, ...): read as 2020-12
    return vocabularies_declared_by(index_.value(*metaschema), at);
  }

  NodeId compile_child(const SchemaAddress& address, std::size_t depth) {
    return compile(address, depth + 1);
  }

  // ---- keywords
  // --------------------------------------------------------------------------------------------

  void compile_keywords(const json::object& s, const Here& here, std::size_t depth, Node& node) {
    compile_core(s, here, depth, node);
    if (here.vocabularies.validation) {
      compile_generic(s, here, node);
      compile_numeric(s, here, node);
      compile_string(s, here, node);
      compile_array_counts(s, here, node);
      compile_object_counts(s, here, node);
    }
    if (here.vocabularies.applicator) {
      compile_in_place_applicators(s, here, depth, node);
      compile_array_applicators(s, here, depth, node);
      compile_object_applicators(s, here, depth, node);
    }
    if (here.vocabularies.unevaluated) {
      node.unevaluated_properties = optional_schema(s, "unevaluatedProperties", here, depth);
      node.unevaluated_items = optional_schema(s, "unevaluatedItems", here, depth);
    }
    compile_format(s, here, node);
  }

  void compile_core(const json::object& s, const Here& here, std::size_t depth, Node& node) {
    for (const std::string_view keyword : {"$id", "$anchor", "$dynamicAnchor", "$schema"}) {
      if (const auto* v = s.if_contains(keyword); v != nullptr && !v->is_string()) {
        fail_at(here.at, "\"" + std::string(keyword) + "\" must be a string, got " + describe_value(*v));
      }
    }
    if (const auto* write_only = s.if_contains("writeOnly")) {
      if (!write_only->is_bool())
        fail_at(here.at, "\"writeOnly\" must be a boolean, got " + describe_value(*write_only));
      node.write_only = write_only->get_bool();
    }
    if (const auto* ref = s.if_contains("$ref")) {
      node.ref = compile_child(resolve_reference("$ref", *ref, here), depth);
    }
    if (const auto* ref = s.if_contains("$dynamicRef")) {
      const SchemaAddress target = resolve_reference("$dynamicRef", *ref, here);
      node.dynamic_ref = compile_child(target, depth);
      node.dynamic_anchor = dynamic_anchor_name(ref->get_string(), target);
    }
    if (s.contains("$recursiveRef")) {
      fail_at(here.at, "\"$recursiveRef\" (draft 2019-09) is not supported; use \"$dynamicRef\"");
    }
    // Definitions are compiled even when nothing refers to them, so a broken one is reported at load time.
    for (const std::string_view keyword : {"$defs", "definitions"}) {
      if (const auto* definitions = s.if_contains(keyword)) {
        for (const auto& member : schema_map(*definitions, keyword, here)) {
          compile_child(here.child(keyword, member.key()), depth);
        }
      }
    }
  }

  void compile_generic(const json::object& s, const Here& here, Node& node) {
    if (const auto* type = s.if_contains("type")) node.types = parse_types(*type, here.at);
    if (const auto* values = s.if_contains("enum")) {
      if (!values->is_array()) fail_at(here.at, "\"enum\" must be an array, got " + describe_value(*values));
      node.enum_values = values->get_array();
      if (node.enum_values->size() > kEnumScanLimit) {
        node.enum_index.reserve(node.enum_values->size());
        for (std::size_t i = 0; i < node.enum_values->size(); ++i) {
          node.enum_index.emplace(json_hash((*node.enum_values)[i]), i);
        }
      }
    }
    if (const auto* value = s.if_contains("const")) node.const_value = *value;
  }

  void compile_numeric(const json::object& s, const Here& here, Node& node) {
    node.minimum = number_keyword(s, "minimum", here.at);
    node.maximum = number_keyword(s, "maximum", here.at);
    node.exclusive_minimum = number_keyword(s, "exclusiveMinimum", here.at);
    node.exclusive_maximum = number_keyword(s, "exclusiveMaximum", here.at);
    node.multiple_of = number_keyword(s, "multipleOf", here.at);
    if (node.multiple_of && compare_numbers(*node.multiple_of, json::value(0)) <= 0) {
      fail_at(here.at, "\"multipleOf\" must be greater than 0, got " + number_text(*node.multiple_of));
    }
  }

  void compile_string(const json::object& s, const Here& here, Node& node) {
    node.min_length = count_keyword(s, "minLength", here.at);
    node.max_length = count_keyword(s, "maxLength", here.at);
    if (const auto* pattern = s.if_contains("pattern")) {
      if (!pattern->is_string())
        fail_at(here.at, "\"pattern\" must be a string, got " + describe_value(*pattern));
      node.pattern.emplace(make_pattern(std::string(pattern->get_string()), here.child_at("pattern")));
    }
  }

  void compile_format(const json::object& s, const Here& here, Node& node) {
    const auto* format = s.if_contains("format");
    if (format == nullptr) return;
    if (!format->is_string()) fail_at(here.at, "\"format\" must be a string, got " + describe_value(*format));
    if (formats_ == FormatMode::kAssertion || here.vocabularies.format_assertion) {
      node.format = format_from_name(format->get_string());
    }
  }

  void compile_array_counts(const json::object& s, const Here& here, Node& node) {
    if (const auto min_contains = count_keyword(s, "minContains", here.at)) node.min_contains = *min_contains;
    node.max_contains = count_keyword(s, "maxContains", here.at);
    node.min_items = count_keyword(s, "minItems", here.at);
    node.max_items = count_keyword(s, "maxItems", here.at);
    if (const auto* unique = s.if_contains("uniqueItems")) {
      if (!unique->is_bool())
        fail_at(here.at, "\"uniqueItems\" must be a boolean, got " + describe_value(*unique));
      node.unique_items = unique->get_bool();
    }
  }

  void compile_object_counts(const json::object& s, const Here& here, Node& node) {
    if (const auto* required = s.if_contains("required"))
      node.required = string_list(*required, "required", here.at);
    node.min_properties = count_keyword(s, "minProperties", here.at);
    node.max_properties = count_keyword(s, "maxProperties", here.at);
    if (const auto* dependent = s.if_contains("dependentRequired")) {
      if (!dependent->is_object())
        fail_at(here.at, "\"dependentRequired\" must be an object, got " + describe_value(*dependent));
      for (const auto& member : dependent->get_object()) {
        node.dependent_required.emplace_back(std::string(member.key()),
                                             string_list(member.value(), "dependentRequired", here.at));
      }
    }
  }

  void compile_in_place_applicators(const json::object& s, const Here& here, std::size_t depth, Node& node) {
    node.all_of = schema_list(s, "allOf", here, depth);
    node.any_of = schema_list(s, "anyOf", here, depth);
    node.one_of = schema_list(s, "oneOf", here, depth);
    node.not_schema = optional_schema(s, "not", here, depth);
    if (node.not_schema) node.not_schema_text = short_json(s.at("not"), 100);
    node.if_schema = optional_schema(s, "if", here, depth);
    node.then_schema = optional_schema(s, "then", here, depth);
    node.else_schema = optional_schema(s, "else", here, depth);
  }

  void compile_array_applicators(const json::object& s, const Here& here, std::size_t depth, Node& node) {
    node.prefix_items = schema_list(s, "prefixItems", here, depth);
    if (const auto* items = s.if_contains("items")) {
      if (items->is_array()) {
        // The tuple form of drafts 4-2019: same meaning as prefixItems, with "additionalItems" for the rest.
        if (s.contains("prefixItems"))
          fail_at(here.at, "\"items\" must be a schema when \"prefixItems\" is present");
        node.prefix_items = schema_list(s, "items", here, depth);
        node.items = optional_schema(s, "additionalItems", here, depth);
      } else {
        node.items = optional_schema(s, "items", here, depth);
      }
    }
    node.contains = optional_schema(s, "contains", here, depth);
  }

  void compile_object_applicators(const json::object& s, const Here& here, std::size_t depth, Node& node) {
    if (const auto* properties = s.if_contains("properties")) {
      for (const auto& member : schema_map(*properties, "properties", here)) {
        const NodeId child = compile_child(here.child("properties", member.key()), depth);
        node.properties.emplace_back(std::string(member.key()), child);
        node.property_index.emplace(std::string(member.key()), child);
      }
    }
    if (const auto* patterns = s.if_contains("patternProperties")) {
      for (const auto& member : schema_map(*patterns, "patternProperties", here)) {
        const SchemaAddress child = here.child("patternProperties", member.key());
        Pattern pattern = make_pattern(std::string(member.key()), index_.describe(child));
        node.pattern_properties.emplace_back(std::move(pattern), compile_child(child, depth));
      }
    }
    node.additional_properties = optional_schema(s, "additionalProperties", here, depth);
    node.property_names = optional_schema(s, "propertyNames", here, depth);
    if (const auto* dependent = s.if_contains("dependentSchemas")) {
      for (const auto& member : schema_map(*dependent, "dependentSchemas", here)) {
        node.dependent_schemas.emplace_back(
            std::string(member.key()), compile_child(here.child("dependentSchemas", member.key()), depth));
      }
    }
    if (const auto* dependencies = s.if_contains("dependencies")) {
      // Draft-07's single keyword for dependentRequired and dependentSchemas.
      if (!dependencies->is_object())
        fail_at(here.at, "\"dependencies\" must be an object, got " + describe_value(*dependencies));
      for (const auto& member : dependencies->get_object()) {
        if (member.value().is_array()) {
          node.dependent_required.emplace_back(std::string(member.key()),
                                               string_list(member.value(), "dependencies", here.at));
        } else {
          node.dependent_schemas.emplace_back(std::string(member.key()),
                                              compile_child(here.child("dependencies", member.key()), depth));
        }
      }
    }
  }

  // ---- keyword value helpers
  // -------------------------------------------------------------------------------

  std::uint8_t parse_types(const json::value& type, const std::string& at) {
    auto one = [&](const json::value& name) -> std::uint8_t {
      if (name.is_string()) {
        for (const auto& [known, bit] : type_names()) {
          if (name.get_string() == known) return bit;
        }
      }
      fail_at(at, "\"type\" must name string, number, integer, boolean, object, array or null, got " +
                      describe_value(name));
    };
    if (!type.is_array()) return one(type);
    if (type.get_array().empty()) fail_at(at, "\"type\" must not be an empty array");
    std::uint8_t bits = 0;
    for (const auto& name : type.get_array()) bits |= one(name);
    return bits;
  }

  std::optional<json::value> number_keyword(const json::object& s, std::string_view keyword,
                                            const std::string& at) {
    const auto* v = s.if_contains(keyword);
    if (v == nullptr) return std::nullopt;
    if (!is_number(*v)) {
      std::string hint;
      if (v->is_bool() && keyword.starts_with("exclusive"))
        hint = " (the draft-04 boolean form is not supported)";
      fail_at(at, "\"" + std::string(keyword) + "\" must be a number, got " + describe_value(*v) + hint);
    }
    return *v;
  }

  std::optional<std::size_t> count_keyword(const json::object& s, std::string_view keyword,
                                           const std::string& at) {
    const auto* v = s.if_contains(keyword);
    if (v == nullptr) return std::nullopt;
    if (!is_integer(*v) || compare_numbers(*v, json::value(0)) < 0) {
      fail_at(at,
              "\"" + std::string(keyword) + "\" must be a non-negative integer, got " + describe_value(*v));
    }
    if (v->is_int64()) return static_cast<std::size_t>(v->get_int64());
    if (v->is_uint64()) return static_cast<std::size_t>(v->get_uint64());
    const double d = v->get_double();
    return d >= 1.8e19 ? std::numeric_limits<std::size_t>::max() : static_cast<std::size_t>(d);
  }

  std::vector<std::string> string_list(const json::value& v, std::string_view keyword,
                                       const std::string& at) {
    if (!v.is_array())
      fail_at(at, "\"" + std::string(keyword) + "\" must be an array of strings, got " + describe_value(v));
    std::vector<std::string> out;
    for (const auto& item : v.get_array()) {
      if (!item.is_string()) {
        fail_at(at, "\"" + std::string(keyword) + "\" must be an array of strings, but it contains " +
                        describe_value(item));
      }
      out.emplace_back(item.get_string());
    }
    return out;
  }

  const json::object& schema_map(const json::value& v, std::string_view keyword, const Here& here) {
    if (!v.is_object()) {
      fail_at(here.at, "\"" + std::string(keyword) + "\" must be an object mapping names to schemas, got " +
                           describe_value(v));
    }
    return v.get_object();
  }

  std::vector<NodeId> schema_list(const json::object& s, std::string_view keyword, const Here& here,
                                  std::size_t depth) {
    const auto* v = s.if_contains(keyword);
    if (v == nullptr) return {};
    if (!v->is_array() || v->get_array().empty()) {
      fail_at(here.at, "\"" + std::string(keyword) + "\" must be a non-empty array of schemas, got " +
                           describe_value(*v));
    }
    std::vector<NodeId> out;
    for (std::size_t i = 0; i < v->get_array().size(); ++i) {
      out.push_back(compile_child(here.child(keyword, i), depth));
    }
    return out;
  }

  std::optional<NodeId> optional_schema(const json::object& s, std::string_view keyword, const Here& here,
                                        std::size_t depth) {
    if (!s.contains(keyword)) return std::nullopt;
    return compile_child(here.child(keyword), depth);
  }

  Pattern make_pattern(const std::string& source, const std::string& at) {
    try {
      return Pattern(source);
    } catch (const std::invalid_argument& e) {
      fail_at(at, "the pattern " + quoted(source) + " is " + e.what());
    }
  }

  // ---- references
  // ------------------------------------------------------------------------------------------

  // The schema a "$ref" or "$dynamicRef" names, resolved against the base URI of the resource it sits in.
  SchemaAddress resolve_reference(std::string_view keyword, const json::value& ref, const Here& here) {
    const std::string at = here.child_at(keyword);
    if (!ref.is_string()) {
      fail_at(here.at, "\"" + std::string(keyword) + "\" must be a string, got " + describe_value(ref));
    }
    const std::string_view text = ref.get_string();
    const std::string base = index_.resource(index_.resource_of(here.address)).uri;  // locate() may move it
    const std::string uri = resolve_uri(base, text);
    ResourceIndex::Miss miss{};
    if (auto target = index_.locate(uri, miss)) return std::move(*target);
    const std::string document(without_fragment(uri));
    const std::string where = document == base ? "this schema" : document;
    switch (miss) {
      case ResourceIndex::Miss::kUnknownDocument:
        fail_at(at, quoted(text) + " refers to " + (document.empty() ? quoted(text) : document) +
                        ", which is neither part of this schema nor a preloaded document (mcpd never fetches "
                        "schemas over the network)");
      case ResourceIndex::Miss::kNoPointerTarget:
        fail_at(at, quoted(text) + " points to nothing in " + where);
      case ResourceIndex::Miss::kNoAnchor:
        fail_at(at, quoted(text) + " names no \"$anchor\" in " + where);
      default:
        fail_at(at, quoted(text) + " has a malformed fragment (neither a JSON pointer nor an anchor name)");
    }
  }

  // "Bookending": a $dynamicRef looks into the dynamic scope only when its fragment is an anchor name and the
  // schema it names declares that same name as its "$dynamicAnchor".
  std::string dynamic_anchor_name(std::string_view ref, const SchemaAddress& target) {
    const auto name = percent_decode(fragment_of(ref));
    if (!name || name->empty() || name->front() == '/') return {};
    const json::value& schema = index_.value(target);
    const json::value* anchor =
        schema.is_object() ? schema.get_object().if_contains("$dynamicAnchor") : nullptr;
    if (anchor == nullptr || !anchor->is_string() || anchor->get_string() != *name) return {};
    return *name;
  }

  ResourceIndex index_;
  FormatMode formats_;
  std::vector<Node> nodes_;
  std::vector<GraphResource> resources_;
  std::unordered_map<std::string, NodeId> by_address_;  // "<document>:<pointer>"
  std::unordered_map<std::size_t, std::uint32_t> graph_resource_of_;
  std::unordered_map<std::size_t, Vocabularies> vocabularies_;
};

}  // namespace

Graph compile_graph(const json::value& schema, const CompileOptions& options) {
  return Compiler(schema, options).run();
}

}  // namespace mcpd::schema::detail
