// Which keywords a schema's dialect gives meaning to. A "$schema" naming a meta-schema with "$vocabulary"
// (a custom dialect, e.g. one without the validation vocabulary) switches keyword groups off; a "$schema"
// the validator cannot look up (draft-07's, say) is read as 2020-12, as MCP tool schemas expect.
#pragma once

#include <boost/json/value.hpp>

#include <string>

namespace mcpd::schema::detail {

struct Vocabularies {
  bool applicator = true;   // allOf, properties, items, ...
  bool validation = true;   // type, enum, minimum, required, ...
  bool unevaluated = true;  // unevaluatedProperties, unevaluatedItems
  bool format_assertion = false;
};

/// The vocabularies `metaschema` declares in "$vocabulary" (all of 2020-12's when it declares none).
/// Throws SchemaError (at `location`) when it requires a vocabulary this validator does not know.
Vocabularies vocabularies_declared_by(const boost::json::value& metaschema, const std::string& location);

}  // namespace mcpd::schema::detail
