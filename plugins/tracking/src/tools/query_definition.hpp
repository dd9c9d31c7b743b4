// The query tool's definition (tools/definitions/query.json) with the configured bounds written in, so the
// schema agents read gives the real row cap and time limit.
#pragma once

#include <mcpd/sdk.hpp>

#include "../plugin_options.hpp"

namespace mcpd::tracking::tool_definitions {

sdk::tool_spec with_query_limits(sdk::tool_spec query, const query_limits& limits);

}  // namespace mcpd::tracking::tool_definitions
