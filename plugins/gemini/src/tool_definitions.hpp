// The published definitions of the gemini tools: title, description, input and output schemas,
// annotations. Pure data, kept apart from the handlers so implementing a tool never changes what agents see.
#pragma once

#include <mcpd/sdk.hpp>

namespace mcpd::gemini::tool_definitions {

sdk::tool_spec ask_about_images();
sdk::tool_spec ask_about_video();
sdk::tool_spec models_list();

}  // namespace mcpd::gemini::tool_definitions
