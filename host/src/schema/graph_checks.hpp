// Whole-graph passes that run once a schema is compiled.
#pragma once

#include "schema/graph.hpp"

namespace mcpd::schema::detail {

/// A secret stays hidden even when its "writeOnly" sits on a schema that this one references or includes.
void propagate_write_only(Graph& graph);

/// Throws SchemaError for a cycle of schemas that apply each other to the same value without descending
/// into it (e.g. "a": {"$ref": "#/$defs/a"}): validation would recurse forever on any value.
void reject_endless_loops(const Graph& graph);

}  // namespace mcpd::schema::detail
