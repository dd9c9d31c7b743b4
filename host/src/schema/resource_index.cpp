#include "schema/resource_index.hpp"

#include "schema/compile_failure.hpp"
#include "schema/json_pointer.hpp"
#include "schema/json_values.hpp"
#include "schema/metaschemas.hpp"
#include "schema/uri_reference.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

namespace mcpd::schema::detail {
namespace json = boost::json;

namespace {

enum class Holds {
  kSchema,              // "not": {...}
  kSchemaList,          // "allOf": [{...}, ...]
  kSchemaMap,           // "properties": {"name": {...}}
  kSchemaOrList,        // "items": a schema, or (before 2020-12) a list of them
  kSchemaOrStringsMap,  // "dependencies": {"a": {...}, "b": ["c"]}
};

// The keywords whose values are schemas. Identifiers anywhere else ("const", "enum", "examples", unknown
// keywords) are data, not declarations.
std::optional<Holds> schemas_held_by(std::string_view keyword) {
  static const std::unordered_map<std::string_view, Holds> keywords = {
      {"additionalProperties", Holds::kSchema},
      {"propertyNames", Holds::kSchema},
      {"contains", Holds::kSchema},
      {"not", Holds::kSchema},
      {"if", Holds::kSchema},
      {"then", Holds::kSchema},
      {"else", Holds::kSchema},
      {"unevaluatedProperties", Holds::kSchema},
      {"unevaluatedItems", Holds::kSchema},
      {"additionalItems", Holds::kSchema},
      {"contentSchema", Holds::kSchema},
      {"items", Holds::kSchemaOrList},
      {"allOf", Holds::kSchemaList},
      {"anyOf", Holds::kSchemaList},
      {"oneOf", Holds::kSchemaList},
      {"prefixItems", Holds::kSchemaList},
      {"properties", Holds::kSchemaMap},
      {"patternProperties", Holds::kSchemaMap},
      {"$defs", Holds::kSchemaMap},
      {"definitions", Holds::kSchemaMap},
      {"dependentSchemas", Holds::kSchemaMap},
      {"dependencies", Holds::kSchemaOrStringsMap},
  };
  const auto found = keywords.find(keyword);
  if (found == keywords.end()) return std::nullopt;
  return found->second;
}

bool contains_pointer(std::string_view outer, std::string_view inner) {
  return inner.starts_with(outer) && (inner.size() == outer.size() || inner[outer.size()] == '/');
}

std::string quoted(std::string_view text) {
  return short_json(json::value(json::string_view(text.data(), text.size())));
}

}  // namespace

ResourceIndex::ResourceIndex(const json::value& root, const SchemaDocuments* preloaded)
    : preloaded_(preloaded) {
  add_document(root, "");
}

std::size_t ResourceIndex::add_document(const json::value& root, std::string retrieval_uri) {
  const std::size_t document = documents_.size();
  documents_.push_back({&root, {}});
  std::string uri = retrieval_uri;
  if (root.is_object()) {
    if (const auto* id = root.get_object().if_contains("$id");
        id && id->is_string() && !id->get_string().starts_with("#")) {
      uri = std::string(without_fragment(resolve_uri(retrieval_uri, id->get_string())));
    }
  }
  const std::size_t resource = declare_resource(document, "", uri, std::nullopt);
  // Known under the URI it was retrieved from, too, whatever its "$id" says.
  if (!retrieval_uri.empty()) resource_by_uri_.emplace(retrieval_uri, resource);
  walk(document, root, "", resource, 0);
  return document;
}

std::size_t ResourceIndex::declare_resource(std::size_t document, const std::string& pointer, std::string uri,
                                            std::optional<std::size_t> parent) {
  const std::size_t index = resources_.size();
  if (const auto [existing, added] = resource_by_uri_.emplace(uri, index); !added) {
    // Two resources of one document may not share an identifier. Across documents the first one indexed
    // keeps it: a preloaded document cannot take over an identifier of the schema being compiled.
    const SchemaResource& other = resources_[existing->second];
    if (other.document == document) {
      fail_at(describe({document, pointer}), "\"$id\" " + quoted(uri) + " is also the identifier of " +
                                                 describe({other.document, other.pointer}));
    }
  }
  resources_.push_back({std::move(uri), document, pointer, parent, {}});
  documents_[document].resources.push_back(index);
  return index;
}

void ResourceIndex::declare_anchor(const std::string& resource_uri, const std::string& name,
                                   std::size_t document, const std::string& pointer) {
  const auto [existing, added] =
      anchors_.emplace(resource_uri + "#" + name, SchemaAddress{document, pointer});
  if (!added && existing->second.pointer != pointer) {
    fail_at(describe({document, pointer}),
            "the anchor " + quoted(name) + " is also declared at " + describe(existing->second));
  }
}

void ResourceIndex::walk(std::size_t document, const json::value& v, const std::string& pointer,
                         std::size_t resource, std::size_t depth) {
  if (depth > kMaxSchemaDepth) {
    fail_at(describe({document, pointer}),
            "the schema is nested more than " + std::to_string(kMaxSchemaDepth) + " levels deep");
  }
  if (!v.is_object()) return;
  const json::object& object = v.get_object();
  if (const auto* id = object.if_contains("$id"); id && id->is_string()) {
    const std::string resolved = resolve_uri(resources_[resource].uri, id->get_string());
    if (!pointer.empty() && !id->get_string().starts_with("#")) {
      resource = declare_resource(document, pointer, std::string(without_fragment(resolved)), resource);
    }
    // "$id": "#name" (drafts 6 and 7) names the subschema the way "$anchor" does now.
    if (const auto name = fragment_of(resolved); !name.empty() && !name.starts_with("/")) {
      declare_anchor(resources_[resource].uri, std::string(name), document, pointer);
    }
  }
  if (const auto* anchor = object.if_contains("$anchor"); anchor && anchor->is_string()) {
    declare_anchor(resources_[resource].uri, std::string(anchor->get_string()), document, pointer);
  }
  if (const auto* anchor = object.if_contains("$dynamicAnchor"); anchor && anchor->is_string()) {
    const std::string name(anchor->get_string());
    declare_anchor(resources_[resource].uri, name, document, pointer);
    resources_[resource].dynamic_anchors.emplace_back(name, pointer);
  }
  for (const auto& member : object)
    walk_keyword(document, member.key(), member.value(), pointer, resource, depth);
}

void ResourceIndex::walk_keyword(std::size_t document, std::string_view keyword, const json::value& v,
                                 const std::string& pointer, std::size_t resource, std::size_t depth) {
  const auto holds = schemas_held_by(keyword);
  if (!holds) return;
  const std::string at = pointer + "/" + escape_pointer_token(keyword);
  auto each_in_list = [&](const json::value& list) {
    for (std::size_t i = 0; i < list.get_array().size(); ++i) {
      walk(document, list.get_array()[i], at + "/" + std::to_string(i), resource, depth + 1);
    }
  };
  switch (*holds) {
    case Holds::kSchema:
      walk(document, v, at, resource, depth + 1);
      break;
    case Holds::kSchemaOrList:
      if (v.is_array()) {
        each_in_list(v);
      } else {
        walk(document, v, at, resource, depth + 1);
      }
      break;
    case Holds::kSchemaList:
      if (v.is_array()) each_in_list(v);
      break;
    case Holds::kSchemaMap:
    case Holds::kSchemaOrStringsMap:
      if (!v.is_object()) break;
      for (const auto& member : v.get_object()) {
        walk(document, member.value(), at + "/" + escape_pointer_token(member.key()), resource, depth + 1);
      }
      break;
  }
}

bool ResourceIndex::load(std::string_view uri) {
  const json::value* document = preloaded_ ? preloaded_->find(uri) : nullptr;
  if (document == nullptr) document = builtin_metaschema(uri);
  if (document == nullptr) return false;
  add_document(*document, std::string(uri));
  return true;
}

std::optional<SchemaAddress> ResourceIndex::locate(std::string_view uri, Miss& miss) {
  const std::string base(without_fragment(uri));
  auto found = resource_by_uri_.find(base);
  if (found == resource_by_uri_.end() && load(base)) found = resource_by_uri_.find(base);
  if (found == resource_by_uri_.end()) {
    miss = Miss::kUnknownDocument;
    return std::nullopt;
  }
  const SchemaResource& target = resources_[found->second];
  const auto fragment = percent_decode(fragment_of(uri));
  if (!fragment) {
    miss = Miss::kBadFragment;
    return std::nullopt;
  }
  if (fragment->empty()) return SchemaAddress{target.document, target.pointer};
  if (fragment->front() != '/') {
    const auto anchor = anchors_.find(target.uri + "#" + *fragment);
    if (anchor == anchors_.end()) {
      miss = Miss::kNoAnchor;
      return std::nullopt;
    }
    return anchor->second;
  }
  const auto tokens = parse_pointer(*fragment);
  if (!tokens) {
    miss = Miss::kBadFragment;
    return std::nullopt;
  }
  SchemaAddress address{target.document, target.pointer};
  for (const auto& token : *tokens) address.pointer += "/" + escape_pointer_token(token);
  if (find_by_pointer(*documents_[address.document].root, address.pointer) == nullptr) {
    miss = Miss::kNoPointerTarget;
    return std::nullopt;
  }
  miss = Miss::kNone;
  return address;
}

const json::value& ResourceIndex::value(const SchemaAddress& address) const {
  return *find_by_pointer(*documents_[address.document].root, address.pointer);
}

std::size_t ResourceIndex::resource_of(const SchemaAddress& address) const {
  std::size_t best = documents_[address.document].resources.front();
  for (const std::size_t candidate : documents_[address.document].resources) {
    const std::string& pointer = resources_[candidate].pointer;
    if (contains_pointer(pointer, address.pointer) && pointer.size() >= resources_[best].pointer.size()) {
      best = candidate;
    }
  }
  return best;
}

std::string ResourceIndex::describe(const SchemaAddress& address) const {
  if (address.document == 0) return "#" + address.pointer;
  return resources_[documents_[address.document].resources.front()].uri + "#" + address.pointer;
}

}  // namespace mcpd::schema::detail
