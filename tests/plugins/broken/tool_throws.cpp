// Misbehaves at call time, through the SDK: the handler of "boom" throws. The
// SDK must turn that into isError:true carrying the exception's message, and
// "ok" must work right after.
#include <mcpd/sdk.hpp>
#include <stdexcept>

namespace {

namespace sdk = mcpd::sdk;
namespace json = boost::json;

class tool_throws_plugin : public sdk::plugin {
 public:
  static constexpr std::string_view plugin_namespace = "tool_throws";
  static constexpr std::string_view plugin_version = "1.0.0";
  static constexpr std::string_view description = "test plugin whose SDK tool handler throws";

  void init(const json::object&, sdk::registry& registry) override {
    const json::object no_arguments{{"type", "object"}, {"additionalProperties", false}};
    registry.tool(
        {.name = "boom", .description = "Always throws from its handler.", .input_schema = no_arguments},
        [](sdk::call_context&, const json::object&) -> sdk::tool_result {
          throw std::runtime_error("tool_throws: deliberate exception from a handler");
        });
    registry.tool({.name = "ok", .description = "Answers ok.", .input_schema = no_arguments},
                  [](sdk::call_context&, const json::object&) { return sdk::tool_result{}.text("ok"); });
  }
};

}  // namespace

MCPD_PLUGIN(tool_throws_plugin)
