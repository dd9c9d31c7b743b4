#include "tool_definitions.hpp"

#include <string>

namespace mcpd::gemini::tool_definitions {

sdk::tool_spec load(const sdk::host& services, std::string_view name) {
  const sdk::tool_definition_files files(services, sdk::embedded_text(embedded_text_files(), "shared.json"));
  sdk::tool_spec spec = files.load(sdk::embedded_text(embedded_text_files(), std::string(name) + ".json"));
  // Uploading and processing a video take from seconds to minutes: for clients of the Tasks extension the
  // call becomes a task once the handler has checked the video.
  if (spec.execution) spec.task_started_by_handler = true;
  return spec;
}

}  // namespace mcpd::gemini::tool_definitions
