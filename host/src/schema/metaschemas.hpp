// The meta-schemas of JSON Schema 2020-12, which every schema may reference without preloading them.
#pragma once

#include <boost/json/value.hpp>

#include <string_view>

namespace mcpd::schema::detail {

/// https://json-schema.org/draft/2020-12/schema and its vocabulary meta-schemas (meta/core, meta/applicator,
/// ...), by URI without fragment; nullptr for any other URI.
const boost::json::value* builtin_metaschema(std::string_view uri);

}  // namespace mcpd::schema::detail
