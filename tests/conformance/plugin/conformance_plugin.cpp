// The conformance plugin: registers every fixture group and is published
// without the namespace prefix (MCPD_PLUGIN_FLAG_UNPREFIXED) because the suite
// calls the fixtures by exact name. Test-only: never install it next to real
// plugins, whose names it could shadow.
#include "fixtures.hpp"

namespace conformance {

class conformance_plugin final : public sdk::plugin {
 public:
  static constexpr std::string_view plugin_namespace = "conformance";
  static constexpr std::string_view plugin_version = "1.0.0";
  static constexpr std::string_view description =
      "Fixtures for the official MCP conformance suite (test-only, unprefixed names)";
  static constexpr std::uint32_t flags = MCPD_PLUGIN_FLAG_UNPREFIXED;

  void init(const json::object& config, sdk::registry& registry) override {
    configure_list_change_triggers(config);
    register_content_tools(registry);
    register_notifying_tools(registry);
    register_client_request_tools(registry);
    register_input_required_tools(registry);
    register_task_tools(registry);
    register_resources(registry);
    register_prompts(registry);
    register_list_change_triggers(registry);
  }
};

}  // namespace conformance

MCPD_PLUGIN(conformance::conformance_plugin)
