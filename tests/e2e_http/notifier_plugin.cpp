// notifier: a test plugin whose one tool makes the host send a message that
// belongs to no request (notifications/resources/updated), which is what the
// GET event stream of a Streamable HTTP session exists for.
#include <mcpd/sdk.hpp>

#include <string>

namespace notifier {

namespace sdk = mcpd::sdk;
namespace json = boost::json;

class notifier_plugin final : public sdk::plugin {
 public:
  static constexpr std::string_view plugin_namespace = "notifier";
  static constexpr std::string_view plugin_version = "1.0.0";
  static constexpr std::string_view description = "Triggers resource-updated notifications for HTTP tests";

  void init(const json::object&, sdk::registry& registry) override {
    registry.tool({.name = "touch",
                   .description = "Tells every client subscribed to `uri` that it changed.",
                   .input_schema = sdk::parse_object(R"({
                     "type": "object",
                     "properties": {"uri": {"type": "string", "minLength": 1}},
                     "required": ["uri"],
                     "additionalProperties": false
                   })")},
                  [this](sdk::call_context&, const json::object& arguments) {
                    host().notify_resource_updated(std::string(arguments.at("uri").as_string()));
                    return sdk::tool_result{}.text("notified");
                  });
  }
};

}  // namespace notifier

MCPD_PLUGIN(notifier::notifier_plugin)
