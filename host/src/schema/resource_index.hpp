// Which schema a URI names. Every document a compilation can reach (the schema being compiled, preloaded
// documents, the built-in meta-schemas) is walked once for the identifiers it declares: "$id" starts a
// schema resource with its own base URI, "$anchor" and "$dynamicAnchor" name a subschema inside one. A $ref
// is then resolved by URI, never by where it happens to sit in the document tree, so "#/$defs/a" inside an
// embedded "$id" resource means that resource's $defs, not the root's.
#pragma once

#include "schema/validator.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mcpd::schema::detail {

/// A subschema's identity: which document, and where in it (an escaped JSON pointer, "" for its root).
struct SchemaAddress {
  std::size_t document = 0;
  std::string pointer;
};

/// Part of a document with its own base URI: the document itself, or a subschema with "$id".
struct SchemaResource {
  std::string uri;  // absolute (or "" for a schema without "$id"), without fragment
  std::size_t document = 0;
  std::string pointer;                                               // where its root is
  std::optional<std::size_t> parent;                                 // the resource around it
  std::vector<std::pair<std::string, std::string>> dynamic_anchors;  // name -> pointer
};

class ResourceIndex {
 public:
  /// Walks `root` (document 0); throws SchemaError for identifiers that clash or nesting that is too deep.
  ResourceIndex(const boost::json::value& root, const SchemaDocuments* preloaded);

  enum class Miss {
    kNone,
    kUnknownDocument,  // nothing is known under the URI without its fragment
    kNoPointerTarget,  // the JSON pointer in the fragment leads nowhere
    kNoAnchor,         // the fragment names no $anchor or $dynamicAnchor of that resource
    kBadFragment,      // the fragment is neither a JSON pointer nor an anchor name
  };

  /// What `uri` (absolute, fragment included) names; nullopt with `miss` saying why not. A preloaded
  /// document or meta-schema is indexed the first time a URI reaches it.
  std::optional<SchemaAddress> locate(std::string_view uri, Miss& miss);

  /// The value at `address`, which must exist.
  const boost::json::value& value(const SchemaAddress& address) const;

  /// The innermost resource that contains `address`.
  std::size_t resource_of(const SchemaAddress& address) const;
  /// Valid until the next locate(), which may index another document.
  const SchemaResource& resource(std::size_t index) const { return resources_[index]; }

  /// "#/properties/a" inside the schema being compiled, "<document URI>#/..." elsewhere: for messages.
  std::string describe(const SchemaAddress& address) const;

 private:
  struct Document {
    const boost::json::value* root;
    std::vector<std::size_t> resources;  // indexes into resources_, outermost first
  };

  std::size_t add_document(const boost::json::value& root, std::string retrieval_uri);
  void walk(std::size_t document, const boost::json::value& v, const std::string& pointer,
            std::size_t resource, std::size_t depth);
  void walk_keyword(std::size_t document, std::string_view keyword, const boost::json::value& v,
                    const std::string& pointer, std::size_t resource, std::size_t depth);
  std::size_t declare_resource(std::size_t document, const std::string& pointer, std::string uri,
                               std::optional<std::size_t> parent);
  void declare_anchor(const std::string& resource_uri, const std::string& name, std::size_t document,
                      const std::string& pointer);
  bool load(std::string_view uri);

  const SchemaDocuments* preloaded_;
  std::vector<Document> documents_;
  std::vector<SchemaResource> resources_;
  std::unordered_map<std::string, std::size_t> resource_by_uri_;  // $id and retrieval URIs
  std::unordered_map<std::string, SchemaAddress> anchors_;        // "<resource uri>#<name>"
};

}  // namespace mcpd::schema::detail
