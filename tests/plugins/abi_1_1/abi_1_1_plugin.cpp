// A plugin built with the ABI 1.1 SDK (include/, frozen): it negotiates 1.1, hands the host 1.1-sized
// structs and reads only the 1.1 part of what the host gives it. Its tools: an echo, and a tool that asks
// the client through the blocking callback_client_request, which a 1.2 host serves to legacy clients as a
// request and to 2026-07-28 clients by suspending the call (a multi round-trip result).
#include <mcpd/sdk.hpp>

namespace {

namespace sdk = mcpd::sdk;
namespace json = boost::json;

class abi_1_1_plugin final : public sdk::plugin {
 public:
  static constexpr std::string_view plugin_namespace = "abi11";
  static constexpr std::string_view plugin_version = "1.1.0";
  static constexpr std::string_view description = "A plugin built against plugin ABI 1.1 (test-only)";

  void init(const json::object&, sdk::registry& registry) override {
    registry.tool({.name = "echo",
                   .description = "Echoes `value` with the protocol version the host reports.",
                   .input_schema = sdk::parse_object(
                       R"({"type":"object","properties":{"value":{"type":"string"}},"required":["value"]})")},
                  [](sdk::call_context& context, const json::object& arguments) {
                    return sdk::tool_result{}.text(std::string(arguments.at("value").as_string()) + " (" +
                                                   std::string(context.protocol_version()) + ")");
                  });
    registry.tool(
        {.name = "confirm",
         .description = "Asks the user to confirm (elicitation/create) and reports the answer.",
         .input_schema = sdk::parse_object(R"({"type":"object"})")},
        [](sdk::call_context& context, const json::object&) {
          const json::value answer = context.client_request(
              "elicitation/create",
              json::object{
                  {"message", "Proceed?"},
                  {"requestedSchema",
                   sdk::parse_object(R"({"type":"object","properties":{"ok":{"type":"boolean"}}})")}});
          return sdk::tool_result{}.text("answer: " + json::serialize(answer));
        });
  }
};

}  // namespace

MCPD_PLUGIN(abi_1_1_plugin)
