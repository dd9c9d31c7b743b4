#pragma once
// What one plugin registered during on_init, validated and copied into host
// memory (the plugin's defs are borrowed only for the callback).
#include <mcpd/plugin_api.h>

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "registry/uri_template.hpp"
#include "schema/validator.hpp"
#include "util/quick_call_history.hpp"

namespace mcpd::loader {

// Whether a tool may run as a task (its definition's execution.taskSupport).
enum class TaskSupport { forbidden, optional, required };

struct ToolRegistration {
  std::string name;                // local name, e.g. "capture"
  boost::json::object definition;  // the Tool object without "name"
  TaskSupport task_support = TaskSupport::forbidden;
  bool task_started_by_handler = false;  // MCPD_TOOL_FLAG_TASK_STARTED_BY_HANDLER
  std::shared_ptr<const schema::CompiledSchema> input_schema;
  std::shared_ptr<const schema::CompiledSchema> output_schema;  // null when none
  mcpd_on_call_tool_fn on_call = nullptr;
  void* state = nullptr;
  mutable QuickCallHistory history;  // how long its calls took lately
};

struct ResourceRegistration {
  std::string uri;
  boost::json::object definition;  // the Resource object without "uri"
  mcpd_on_read_resource_fn on_read = nullptr;
  void* state = nullptr;
};

struct TemplateRegistration {
  registry::UriTemplate uri_template;
  boost::json::object definition;  // the ResourceTemplate object without "uriTemplate"
  mcpd_on_read_resource_fn on_read = nullptr;
  mcpd_on_complete_fn on_complete = nullptr;
  void* state = nullptr;
};

struct PromptRegistration {
  std::string name;
  boost::json::object definition;  // the Prompt object without "name"
  mcpd_on_get_prompt_fn on_get = nullptr;
  mcpd_on_complete_fn on_complete = nullptr;
  void* state = nullptr;
};

struct Registrations {
  std::vector<ToolRegistration> tools;
  std::vector<ResourceRegistration> resources;
  std::vector<TemplateRegistration> templates;
  std::vector<PromptRegistration> prompts;
};

}  // namespace mcpd::loader
