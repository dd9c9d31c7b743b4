// The published definition of the query tool, without the `instance` argument that
// tool_definitions::query adds as for every tracking tool. It is built from the configured bounds, so the
// schema and description agents read give the real row cap and time limit.
#pragma once

#include <mcpd/sdk.hpp>

#include "../plugin_options.hpp"

namespace mcpd::tracking::tool_definitions {

sdk::tool_spec query_without_instance(const query_limits& limits);

}  // namespace mcpd::tracking::tool_definitions
