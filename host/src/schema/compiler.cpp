#include "schema/compiler.hpp"

#include "schema/json_values.hpp"
#include "schema/validator.hpp"

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

// Deeper schema nesting (counting $ref hops while compiling) is refused; real schemas stay far below.
constexpr std::size_t kMaxSchemaDepth = 200;

[[noreturn]] void fail(const std::string& location, const std::string& message) {
  throw SchemaError("invalid schema at " + location + ": " + message);
}

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string child_location(const std::string& location, std::string_view token) {
  return location + "/" + escape_pointer_token(token);
}

std::string child_location(const std::string& location, std::string_view keyword, std::size_t index) {
  return child_location(location, keyword) + "/" + std::to_string(index);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_schema(const json::value& v) {
  return v.is_object() || v.is_bool();
}

// Keywords whose values are data, not schemas: never searched for "$anchor".
bool holds_data(std::string_view keyword) {
  return keyword == "const" || keyword == "enum" || keyword == "default" || keyword == "examples";
}

const std::vector<std::pair<std::string_view, std::uint8_t>>& type_names() {
  static const std::vector<std::pair<std::string_view, std::uint8_t>> names = {
      {"string", kTypeString}, {"number", kTypeNumber}, {"integer", kTypeInteger}, {"boolean", kTypeBoolean},
      {"object", kTypeObject}, {"array", kTypeArray},   {"null", kTypeNull},
  };
  return names;
}

class Compiler {
 public:
  explicit Compiler(const json::value& root) : root_(root) {
    if (root.is_object()) {
      if (const auto* id = root.get_object().if_contains("$id"); id != nullptr && id->is_string()) {
        const std::string_view text = id->get_string();
        root_id_ = std::string(text.substr(0, text.find('#')));
      }
    }
    collect_anchors(root, "#", 0);
  }

  Graph run() {
    Graph graph;
    graph.root = compile(root_, "#", 0);
    graph.nodes = std::move(nodes_);
    propagate_write_only(graph);
    reject_endless_loops(graph);
    return graph;
  }

 private:
  // ---- traversal
  // -------------------------------------------------------------------------------------------

  void collect_anchors(const json::value& v, const std::string& location, std::size_t depth) {
    if (depth > kMaxSchemaDepth)
      fail(location, "the schema is nested more than " + std::to_string(kMaxSchemaDepth) + " levels deep");
    if (v.is_object()) {
      const auto& object = v.get_object();
      if (const auto* anchor = object.if_contains("$anchor"); anchor != nullptr && anchor->is_string()) {
        const std::string name(anchor->get_string());
        if (!anchors_.emplace(name, location).second) {
          fail(location, "\"$anchor\" \"" + name + "\" is also declared at " + anchors_[name]);
        }
      }
      for (const auto& member : object) {
        if (!holds_data(member.key()))
          collect_anchors(member.value(), child_location(location, member.key()), depth + 1);
      }
    } else if (v.is_array()) {
      const auto& array = v.get_array();
      for (std::size_t i = 0; i < array.size(); ++i) {
        collect_anchors(array[i], location + "/" + std::to_string(i), depth + 1);
      }
    }
  }

  NodeId compile(const json::value& schema, const std::string& location, std::size_t depth) {
    if (const auto found = by_location_.find(location); found != by_location_.end()) return found->second;
    if (depth > kMaxSchemaDepth) {
      fail(location, "the schema is nested more than " + std::to_string(kMaxSchemaDepth) + " levels deep");
    }
    if (!is_schema(schema))
      fail(location, "a schema must be an object or a boolean, got " + describe_value(schema));

    // Reserve the id first so that a $ref back to this location (a recursive schema) finds it.
    const auto id = static_cast<NodeId>(nodes_.size());
    nodes_.emplace_back();
    by_location_.emplace(location, id);

    Node node;
    node.location = location;
    if (schema.is_bool()) {
      (schema.get_bool() ? node.accepts_everything : node.rejects_everything) = true;
    } else {
      compile_keywords(schema.get_object(), location, depth, node);
    }
    nodes_[id] = std::move(node);
    return id;
  }

  NodeId compile_child(const json::value& schema, const std::string& location, std::size_t depth) {
    return compile(schema, location, depth + 1);
  }

  // ---- keywords
  // --------------------------------------------------------------------------------------------

  void compile_keywords(const json::object& s, const std::string& at, std::size_t depth, Node& node) {
    reject_unsupported(s, at);
    compile_generic(s, at, depth, node);
    compile_numeric(s, at, node);
    compile_string(s, at, node);
    compile_array(s, at, depth, node);
    compile_object(s, at, depth, node);
    compile_definitions(s, at, depth);
  }

  void reject_unsupported(const json::object& s, const std::string& at) {
    for (const std::string_view keyword : {"$dynamicRef", "$recursiveRef"}) {
      if (s.contains(keyword)) fail(at, "\"" + std::string(keyword) + "\" is not supported; use \"$ref\"");
    }
    for (const std::string_view keyword : {"unevaluatedProperties", "unevaluatedItems"}) {
      const json::value* v = s.if_contains(keyword);
      const bool harmless =
          v == nullptr || (v->is_bool() && v->get_bool()) || (v->is_object() && v->get_object().empty());
      if (!harmless) {
        fail(at, "\"" + std::string(keyword) +
                     "\" is not supported; use \"additionalProperties\" / \"items\" on the schema that lists "
                     "them");
      }
    }
  }

  void compile_generic(const json::object& s, const std::string& at, std::size_t depth, Node& node) {
    if (const auto* type = s.if_contains("type")) node.types = parse_types(*type, at);
    if (const auto* values = s.if_contains("enum")) {
      if (!values->is_array()) fail(at, "\"enum\" must be an array, got " + describe_value(*values));
      node.enum_values = values->get_array();
    }
    if (const auto* value = s.if_contains("const")) node.const_value = *value;
    if (const auto* write_only = s.if_contains("writeOnly")) {
      if (!write_only->is_bool())
        fail(at, "\"writeOnly\" must be a boolean, got " + describe_value(*write_only));
      node.write_only = write_only->get_bool();
    }
    if (const auto* ref = s.if_contains("$ref")) {
      if (!ref->is_string()) fail(at, "\"$ref\" must be a string, got " + describe_value(*ref));
      node.ref = compile_reference(ref->get_string(), child_location(at, "$ref"), depth);
    }
    node.all_of = schema_list(s, "allOf", at, depth);
    node.any_of = schema_list(s, "anyOf", at, depth);
    node.one_of = schema_list(s, "oneOf", at, depth);
    node.not_schema = optional_schema(s, "not", at, depth);
    if (node.not_schema) node.not_schema_text = short_json(s.at("not"), 100);
    node.if_schema = optional_schema(s, "if", at, depth);
    node.then_schema = optional_schema(s, "then", at, depth);
    node.else_schema = optional_schema(s, "else", at, depth);
  }

  void compile_numeric(const json::object& s, const std::string& at, Node& node) {
    node.minimum = number_keyword(s, "minimum", at);
    node.maximum = number_keyword(s, "maximum", at);
    node.exclusive_minimum = number_keyword(s, "exclusiveMinimum", at);
    node.exclusive_maximum = number_keyword(s, "exclusiveMaximum", at);
    node.multiple_of = number_keyword(s, "multipleOf", at);
    if (node.multiple_of && compare_numbers(*node.multiple_of, json::value(0)) <= 0) {
      fail(at, "\"multipleOf\" must be greater than 0, got " + number_text(*node.multiple_of));
    }
  }

  void compile_string(const json::object& s, const std::string& at, Node& node) {
    node.min_length = count_keyword(s, "minLength", at);
    node.max_length = count_keyword(s, "maxLength", at);
    if (const auto* pattern = s.if_contains("pattern")) {
      if (!pattern->is_string()) fail(at, "\"pattern\" must be a string, got " + describe_value(*pattern));
      node.pattern.emplace(make_pattern(std::string(pattern->get_string()), child_location(at, "pattern")));
    }
    if (const auto* format = s.if_contains("format")) {
      if (!format->is_string()) fail(at, "\"format\" must be a string, got " + describe_value(*format));
      node.format = format_from_name(format->get_string());
    }
  }

  void compile_array(const json::object& s, const std::string& at, std::size_t depth, Node& node) {
    node.prefix_items = schema_list(s, "prefixItems", at, depth);
    if (const auto* items = s.if_contains("items")) {
      if (items->is_array()) {
        // The tuple form of drafts 4-2019: same meaning as prefixItems, with "additionalItems" for the rest.
        if (s.contains("prefixItems")) fail(at, "\"items\" must be a schema when \"prefixItems\" is present");
        node.prefix_items = schema_list(s, "items", at, depth);
        node.items = optional_schema(s, "additionalItems", at, depth);
      } else {
        node.items = optional_schema(s, "items", at, depth);
      }
    }
    node.contains = optional_schema(s, "contains", at, depth);
    if (const auto min_contains = count_keyword(s, "minContains", at)) node.min_contains = *min_contains;
    node.max_contains = count_keyword(s, "maxContains", at);
    node.min_items = count_keyword(s, "minItems", at);
    node.max_items = count_keyword(s, "maxItems", at);
    if (const auto* unique = s.if_contains("uniqueItems")) {
      if (!unique->is_bool()) fail(at, "\"uniqueItems\" must be a boolean, got " + describe_value(*unique));
      node.unique_items = unique->get_bool();
    }
  }

  void compile_object(const json::object& s, const std::string& at, std::size_t depth, Node& node) {
    if (const auto* required = s.if_contains("required"))
      node.required = string_list(*required, "required", at);
    if (const auto* properties = s.if_contains("properties")) {
      const std::string location = child_location(at, "properties");
      for (const auto& member : schema_map(*properties, "properties", at)) {
        const NodeId child = compile_child(member.value(), child_location(location, member.key()), depth);
        node.properties.emplace_back(std::string(member.key()), child);
        node.property_index.emplace(std::string(member.key()), child);
      }
    }
    if (const auto* patterns = s.if_contains("patternProperties")) {
      const std::string location = child_location(at, "patternProperties");
      for (const auto& member : schema_map(*patterns, "patternProperties", at)) {
        const std::string child_at = child_location(location, member.key());
        Pattern pattern = make_pattern(std::string(member.key()), child_at);
        node.pattern_properties.emplace_back(std::move(pattern),
                                             compile_child(member.value(), child_at, depth));
      }
    }
    node.additional_properties = optional_schema(s, "additionalProperties", at, depth);
    node.property_names = optional_schema(s, "propertyNames", at, depth);
    node.min_properties = count_keyword(s, "minProperties", at);
    node.max_properties = count_keyword(s, "maxProperties", at);
    if (const auto* dependent = s.if_contains("dependentRequired")) {
      if (!dependent->is_object())
        fail(at, "\"dependentRequired\" must be an object, got " + describe_value(*dependent));
      for (const auto& member : dependent->get_object()) {
        node.dependent_required.emplace_back(std::string(member.key()),
                                             string_list(member.value(), "dependentRequired", at));
      }
    }
    if (const auto* dependent = s.if_contains("dependentSchemas")) {
      const std::string location = child_location(at, "dependentSchemas");
      for (const auto& member : schema_map(*dependent, "dependentSchemas", at)) {
        node.dependent_schemas.emplace_back(
            std::string(member.key()),
            compile_child(member.value(), child_location(location, member.key()), depth));
      }
    }
    if (const auto* dependencies = s.if_contains("dependencies")) {
      // Draft-07's single keyword for both of the above.
      if (!dependencies->is_object())
        fail(at, "\"dependencies\" must be an object, got " + describe_value(*dependencies));
      const std::string location = child_location(at, "dependencies");
      for (const auto& member : dependencies->get_object()) {
        if (member.value().is_array()) {
          node.dependent_required.emplace_back(std::string(member.key()),
                                               string_list(member.value(), "dependencies", at));
        } else {
          node.dependent_schemas.emplace_back(
              std::string(member.key()),
              compile_child(member.value(), child_location(location, member.key()), depth));
        }
      }
    }
  }

  // Definitions are compiled even when nothing refers to them, so a broken one is reported at load time.
  void compile_definitions(const json::object& s, const std::string& at, std::size_t depth) {
    for (const std::string_view keyword : {"$defs", "definitions"}) {
      const auto* definitions = s.if_contains(keyword);
      if (definitions == nullptr) continue;
      const std::string location = child_location(at, keyword);
      for (const auto& member : schema_map(*definitions, keyword, at)) {
        compile_child(member.value(), child_location(location, member.key()), depth);
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
      fail(at, "\"type\" must name string, number, integer, boolean, object, array or null, got " +
                   describe_value(name));
    };
    if (!type.is_array()) return one(type);
    if (type.get_array().empty()) fail(at, "\"type\" must not be an empty array");
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
      fail(at, "\"" + std::string(keyword) + "\" must be a number, got " + describe_value(*v) + hint);
    }
    return *v;
  }

  std::optional<std::size_t> count_keyword(const json::object& s, std::string_view keyword,
                                           const std::string& at) {
    const auto* v = s.if_contains(keyword);
    if (v == nullptr) return std::nullopt;
    if (!is_integer(*v) || compare_numbers(*v, json::value(0)) < 0) {
      fail(at, "\"" + std::string(keyword) + "\" must be a non-negative integer, got " + describe_value(*v));
    }
    if (v->is_int64()) return static_cast<std::size_t>(v->get_int64());
    if (v->is_uint64()) return static_cast<std::size_t>(v->get_uint64());
    const double d = v->get_double();
    return d >= 1.8e19 ? std::numeric_limits<std::size_t>::max() : static_cast<std::size_t>(d);
  }

  std::vector<std::string> string_list(const json::value& v, std::string_view keyword,
                                       const std::string& at) {
    if (!v.is_array())
      fail(at, "\"" + std::string(keyword) + "\" must be an array of strings, got " + describe_value(v));
    std::vector<std::string> out;
    for (const auto& item : v.get_array()) {
      if (!item.is_string()) {
        fail(at, "\"" + std::string(keyword) + "\" must be an array of strings, but it contains " +
                     describe_value(item));
      }
      out.emplace_back(item.get_string());
    }
    return out;
  }

  const json::object& schema_map(const json::value& v, std::string_view keyword, const std::string& at) {
    if (!v.is_object()) {
      fail(at, "\"" + std::string(keyword) + "\" must be an object mapping names to schemas, got " +
                   describe_value(v));
    }
    return v.get_object();
  }

  std::vector<NodeId> schema_list(const json::object& s, std::string_view keyword, const std::string& at,
                                  std::size_t depth) {
    const auto* v = s.if_contains(keyword);
    if (v == nullptr) return {};
    if (!v->is_array() || v->get_array().empty()) {
      fail(at, "\"" + std::string(keyword) + "\" must be a non-empty array of schemas, got " +
                   describe_value(*v));
    }
    std::vector<NodeId> out;
    const auto& array = v->get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      out.push_back(compile_child(array[i], child_location(at, keyword, i), depth));
    }
    return out;
  }

  std::optional<NodeId> optional_schema(const json::object& s, std::string_view keyword,
                                        const std::string& at, std::size_t depth) {
    const auto* v = s.if_contains(keyword);
    if (v == nullptr) return std::nullopt;
    return compile_child(*v, child_location(at, keyword), depth);
  }

  Pattern make_pattern(const std::string& source, const std::string& at) {
    try {
      return Pattern(source);
    } catch (const std::invalid_argument& e) {
      fail(at, "the pattern " + short_json(json::value(json::string_view(source))) + " is " + e.what());
    }
  }

  // ---- $ref
  // ------------------------------------------------------------------------------------------------

  NodeId compile_reference(std::string_view ref, const std::string& at, std::size_t depth) {
    const std::string quoted = short_json(json::value(json::string_view(ref.data(), ref.size())));
    std::string_view fragment;
    if (ref.starts_with("#")) {
      fragment = ref.substr(1);
    } else if (!root_id_.empty() && ref.starts_with(root_id_) &&
               (ref.size() == root_id_.size() || ref[root_id_.size()] == '#')) {
      fragment = ref.substr(std::min(ref.size(), root_id_.size() + 1));
    } else {
      fail(at, "only references inside this schema (\"#/$defs/name\") are supported, got " + quoted);
    }
    const std::string decoded = percent_decode(fragment, at, quoted);
    if (!decoded.empty() && decoded[0] != '/') {
      const auto anchor = anchors_.find(decoded);
      if (anchor == anchors_.end()) fail(at, quoted + " names no \"$anchor\" in this schema");
      return compile_child(*resolve_pointer(anchor->second.substr(1), at, quoted).first, anchor->second,
                           depth);
    }
    const auto [target, location] = resolve_pointer(decoded, at, quoted);
    return compile_child(*target, location, depth);
  }

  std::string percent_decode(std::string_view text, const std::string& at, const std::string& quoted) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '%') {
        out += text[i];
        continue;
      }
      if (i + 2 >= text.size() || hex_value(text[i + 1]) < 0 || hex_value(text[i + 2]) < 0) {
        fail(at, quoted + " has a malformed %-escape");
      }
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    }
    return out;
  }

  // Walks a JSON pointer ("" or "/a/b~1c/0") from the root; returns the target and its canonical location.
  std::pair<const json::value*, std::string> resolve_pointer(std::string_view pointer, const std::string& at,
                                                             const std::string& quoted) {
    const json::value* current = &root_;
    std::string location = "#";
    std::size_t pos = 0;
    while (pos < pointer.size()) {
      const std::size_t next = pointer.find('/', pos + 1);
      const std::string_view raw =
          pointer.substr(pos + 1, next == std::string_view::npos ? std::string_view::npos : next - pos - 1);
      std::string token;
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
          token += raw[i + 1] == '0' ? '~' : '/';
          ++i;
        } else {
          token += raw[i];
        }
      }
      if (current->is_object()) {
        current = current->get_object().if_contains(token);
      } else if (current->is_array() && !token.empty() &&
                 token.find_first_not_of("0123456789") == std::string::npos && token.size() < 10 &&
                 std::stoul(token) < current->get_array().size()) {
        current = &current->get_array()[std::stoul(token)];
      } else {
        current = nullptr;
      }
      if (current == nullptr) fail(at, quoted + " points to nothing in this schema");
      location = child_location(location, token);
      pos = next == std::string_view::npos ? pointer.size() : next;
    }
    return {current, location};
  }

  // ---- whole-graph checks
  // ----------------------------------------------------------------------------------

  // A secret stays hidden even when its "writeOnly" sits on a schema that this one references or includes.
  static void propagate_write_only(Graph& graph) {
    for (bool changed = true; changed;) {
      changed = false;
      for (auto& node : graph.nodes) {
        if (node.write_only) continue;
        bool inherited = node.ref && graph.nodes[*node.ref].write_only;
        for (const NodeId part : node.all_of) inherited = inherited || graph.nodes[part].write_only;
        if (inherited) node.write_only = changed = true;
      }
    }
  }

  // Edges that apply a schema to the same value. A cycle made only of these (e.g. "a": {"$ref": "#/$defs/a"})
  // would recurse forever on any value, so it is a broken schema, reported here instead of at call time.
  static std::vector<NodeId> same_value_edges(const Node& node) {
    std::vector<NodeId> edges;
    if (node.ref) edges.push_back(*node.ref);
    edges.insert(edges.end(), node.all_of.begin(), node.all_of.end());
    edges.insert(edges.end(), node.any_of.begin(), node.any_of.end());
    edges.insert(edges.end(), node.one_of.begin(), node.one_of.end());
    for (const auto& optional : {node.not_schema, node.if_schema, node.then_schema, node.else_schema}) {
      if (optional) edges.push_back(*optional);
    }
    for (const auto& dependent : node.dependent_schemas) edges.push_back(dependent.second);
    return edges;
  }

  static void reject_endless_loops(const Graph& graph) {
    enum class Mark : std::uint8_t { kUnseen, kOnPath, kDone };
    std::vector<Mark> marks(graph.nodes.size(), Mark::kUnseen);
    struct Frame {
      NodeId node;
      std::vector<NodeId> edges;
      std::size_t next = 0;
    };
    for (NodeId start = 0; start < graph.nodes.size(); ++start) {
      if (marks[start] != Mark::kUnseen) continue;
      // Iterative depth-first search: chains of thousands of $refs must not exhaust the stack.
      std::vector<Frame> path;
      path.push_back({start, same_value_edges(graph.nodes[start])});
      marks[start] = Mark::kOnPath;
      while (!path.empty()) {
        Frame& top = path.back();
        if (top.next == top.edges.size()) {
          marks[top.node] = Mark::kDone;
          path.pop_back();
          continue;
        }
        const NodeId target = top.edges[top.next++];
        if (marks[target] == Mark::kOnPath) {
          std::string loop;
          bool in_loop = false;
          for (const auto& frame : path) {
            in_loop = in_loop || frame.node == target;
            if (in_loop) loop += graph.nodes[frame.node].location + " -> ";
          }
          loop += graph.nodes[target].location;
          fail(graph.nodes[target].location,
               "it applies itself to the same value without descending into it, which never ends: " + loop);
        }
        if (marks[target] == Mark::kUnseen) {
          marks[target] = Mark::kOnPath;
          path.push_back({target, same_value_edges(graph.nodes[target])});
        }
      }
    }
  }

  const json::value& root_;
  std::string root_id_;
  std::vector<Node> nodes_;
  std::unordered_map<std::string, NodeId> by_location_;
  std::unordered_map<std::string, std::string> anchors_;  // name -> location
};

}  // namespace

Graph compile_graph(const json::value& schema) {
  return Compiler(schema).run();
}

}  // namespace mcpd::schema::detail
