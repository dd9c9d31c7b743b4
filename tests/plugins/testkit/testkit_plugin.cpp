#include "testkit.hpp"

namespace testkit {

json::object closed_object_schema(json::object properties, json::array required) {
  json::object schema{
      {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!required.empty()) schema["required"] = std::move(required);
  return schema;
}

class testkit_plugin : public sdk::plugin {
 public:
  static constexpr std::string_view plugin_namespace = "testkit";
  static constexpr std::string_view plugin_version = "1.0.0";
  static constexpr std::string_view description = "tools that exercise the mcpd host in end-to-end tests";

  void init(const json::object&, sdk::registry& registry) override {
    register_timing_tools(registry);
    register_basic_tools(registry);
    register_relay_tools(registry);
    register_resources_and_prompts(registry);
  }
};

}  // namespace testkit

MCPD_PLUGIN(testkit::testkit_plugin)
