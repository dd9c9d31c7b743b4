// Names of the gemini tools in messages, as the client sees them.
#pragma once

#include <string>
#include <string_view>

namespace mcpd::gemini {

// The published name of the gemini tool `local_name` beside `tool`, another gemini tool's published name
// ("gemini_ask_about_images"): the same namespace and separator (one of ".", "_", "-", "__"), so an error
// points at another tool by the name the client knows.
std::string gemini_tool_beside(std::string_view tool, std::string_view local_name);

}  // namespace mcpd::gemini
