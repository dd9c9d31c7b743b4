// Turns a schema document into a Graph, checking every keyword it understands on the way.
#pragma once

#include "schema/graph.hpp"
#include "schema/validator.hpp"

#include <boost/json/value.hpp>

namespace mcpd::schema::detail {

/// Throws SchemaError. The returned graph has already been checked for $ref loops that would make
/// validation recurse forever without descending into the instance.
Graph compile_graph(const boost::json::value& schema, const CompileOptions& options);

}  // namespace mcpd::schema::detail
