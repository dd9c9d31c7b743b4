// The plugin test_trigger_tool_change drops into the watched directory during
// a conformance run (see ../plugin/list_change_triggers.cpp): one tool and one
// prompt, so that its arrival and departure change both lists.
#include <mcpd/sdk.hpp>

namespace conformance_extra {

namespace sdk = mcpd::sdk;
namespace json = boost::json;

class extra_plugin final : public sdk::plugin {
 public:
  static constexpr std::string_view plugin_namespace = "conformance_extra";
  static constexpr std::string_view plugin_version = "1.0.0";
  static constexpr std::string_view description =
      "Hot-swapped in and out by the conformance list-change triggers";

  void init(const json::object&, sdk::registry& registry) override {
    registry.tool({.name = "extra_tool",
                   .description = "Present while the extra plugin is installed.",
                   .input_schema = sdk::parse_object(R"({"type": "object", "properties": {}})")},
                  [](sdk::call_context&, const json::object&) { return sdk::tool_result{}.text("extra"); });
    registry.prompt(
        {.name = "extra_prompt", .description = "Present while the extra plugin is installed."},
        [](sdk::call_context&, const json::object&) { return sdk::prompt_result{}.user("extra"); });
  }
};

}  // namespace conformance_extra

MCPD_PLUGIN(conformance_extra::extra_plugin)
