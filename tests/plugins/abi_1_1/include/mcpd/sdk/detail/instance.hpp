// The state of one loaded plugin: its object and the handlers the host's *_state pointers point at.
#ifndef MCPD_SDK_DETAIL_INSTANCE_HPP
#define MCPD_SDK_DETAIL_INSTANCE_HPP

#include <mcpd/sdk/host.hpp>
#include <mcpd/sdk/plugin.hpp>
#include <mcpd/sdk/specs.hpp>

#include <deque>
#include <memory>
#include <string>

namespace mcpd::sdk::detail {

struct tool_entry {
  std::string name;
  tool_handler handler;
};

struct resource_entry {
  std::string uri;
  resource_handler handler;
};

struct resource_template_entry {
  std::string uri_template;
  resource_handler handler;
  completion_handler completer;
};

struct prompt_entry {
  std::string name;
  prompt_handler handler;
  completion_handler completer;
};

/// What on_init hands the host as plugin_state and on_shutdown deletes. The deques never move their
/// elements, so the tool_state/resource_state/... pointers given to the host stay valid until shutdown.
struct plugin_instance {
  explicit plugin_instance(const mcpd_host_api* api) noexcept : services(api) {}

  sdk::host services;
  // Declared before the entries so it is destroyed after them: handler closures often capture the plugin.
  std::unique_ptr<sdk::plugin> object;
  std::deque<tool_entry> tools;
  std::deque<resource_entry> resources;
  std::deque<resource_template_entry> resource_templates;
  std::deque<prompt_entry> prompts;
};

}  // namespace mcpd::sdk::detail

#endif  // MCPD_SDK_DETAIL_INSTANCE_HPP
