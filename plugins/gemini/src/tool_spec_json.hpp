// Tool definitions kept as data: a JSON literal per tool, turned into an sdk::tool_spec.
#pragma once

#include <string_view>

#include <mcpd/sdk.hpp>

namespace mcpd::gemini {

// Builds a tool_spec from `definition_json`, an object holding the MCP Tool fields besides name and
// description: "title", "inputSchema" (required), "outputSchema", "annotations". The description is
// separate so long prose stays readable C++ text rather than one enormous JSON string.
// Throws std::logic_error naming the tool when the literal is not a JSON object or has an unknown field:
// a broken definition is a programming error and must fail init loudly, never publish half a tool.
sdk::tool_spec tool_spec_from_json(std::string_view name, std::string_view description,
                                   std::string_view definition_json);

}  // namespace mcpd::gemini
