#include "tool_definitions.hpp"

#include <string>

namespace mcpd::tracking::tool_definitions {

sdk::tool_definition_files files(const sdk::host& services) {
  return sdk::tool_definition_files(services, sdk::embedded_text(embedded_text_files(), "shared.json"));
}

sdk::tool_spec load(const sdk::tool_definition_files& files, std::string_view name) {
  sdk::tool_spec spec = files.load(sdk::embedded_text(embedded_text_files(), std::string(name) + ".json"));
  // A render takes minutes: for clients of the Tasks extension the recording tools become tasks once the
  // handler has checked the arguments and, when the call named no instance, asked which one.
  if (spec.execution) spec.task_started_by_handler = true;
  return spec;
}

}  // namespace mcpd::tracking::tool_definitions
