// Names of the gemini tools in messages, as the client sees them.
#pragma once

#include <string>
#include <string_view>

namespace mcpd::gemini {

// The published name of models_list beside `tool`, another gemini tool's published name
// ("gemini_ask_about_images"): the same namespace and separator (one of ".", "_", "-", "__"), so an error
// points at the listing by the name the client knows.
std::string models_list_beside(std::string_view tool);

}  // namespace mcpd::gemini
