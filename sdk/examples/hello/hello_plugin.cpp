// hello: the smallest complete mcpd plugin, written to be copied.
//
// It publishes two tools in the namespace "hello":
//   hello.greet {name}  -> the text "Hello, <name>!"
//   hello.add   {a, b}  -> structuredContent {"sum": a + b}, plus the same JSON as text
//
// Everything a plugin needs comes from one header.
#include <mcpd/sdk.hpp>

#include <cmath>
#include <cstdint>
#include <string>

namespace hello {

namespace sdk = mcpd::sdk;
namespace json = boost::json;

// One class per plugin. The SDK creates it when the host loads the library and destroys it when the host
// unloads it, so member variables are the natural home for clients, caches and settings.
class hello_plugin final : public sdk::plugin {
 public:
  // Identity, read by MCPD_PLUGIN at compile time. The namespace prefixes every tool name ("hello.greet").
  static constexpr std::string_view plugin_namespace = "hello";
  static constexpr std::string_view plugin_version = "1.0.0";
  static constexpr std::string_view description = "Greets people and adds numbers: the mcpd SDK example";

  // Called once, after the host loaded the library. `config` is this plugin's section of the host's
  // config file ({} here). Register every tool before returning.
  void init(const json::object& /*config*/, sdk::registry& reg) override {
    // The host validates arguments against input_schema before calling the handler, so the handler can
    // rely on "name" being a string of 1..100 characters.
    reg.tool(
        {
            .name = "greet",
            .title = "Greet",
            .description = "Says hello to someone by name.",
            .input_schema = sdk::parse_object(R"({
              "type": "object",
              "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 100, "description": "Who to greet"}
              },
              "required": ["name"],
              "additionalProperties": false
            })"),
            .annotations = json::object{{"readOnlyHint", true}, {"openWorldHint", false}},
        },
        greet);

    // A tool with an output schema returns structuredContent that matches it. structured_with_text also
    // adds the same JSON as a text block, for clients that only read content.
    reg.tool(
        {
            .name = "add",
            .title = "Add",
            .description = "Adds two numbers.",
            .input_schema = sdk::parse_object(R"({
              "type": "object",
              "properties": {
                "a": {"type": "number", "description": "First addend"},
                "b": {"type": "number", "description": "Second addend"}
              },
              "required": ["a", "b"],
              "additionalProperties": false
            })"),
            .output_schema = sdk::parse_object(R"({
              "type": "object",
              "properties": {"sum": {"type": "number"}},
              "required": ["sum"]
            })"),
            .annotations = json::object{{"readOnlyHint", true}, {"idempotentHint", true}},
        },
        add);
  }

 private:
  // A handler gets the call context (progress, cancellation, logging, ...) and the validated arguments,
  // and returns the result. An exception thrown here becomes an isError result carrying its message.
  static sdk::tool_result greet(sdk::call_context& /*context*/, const json::object& arguments) {
    const json::string& name = arguments.at("name").as_string();
    return sdk::tool_result{}.text("Hello, " + std::string(name) + "!");
  }

  static sdk::tool_result add(sdk::call_context& /*context*/, const json::object& arguments) {
    // JSON numbers arrive as int64, uint64 or double; value_to<double> accepts all three.
    const double a = json::value_to<double>(arguments.at("a"));
    const double b = json::value_to<double>(arguments.at("b"));
    return sdk::tool_result::structured_with_text({{"sum", as_json_number(a + b)}});
  }

  // Boost.JSON prints every double in exponent form ("5E0"); whole numbers read better as integers.
  static json::value as_json_number(double value) {
    constexpr double exact_integer_limit = 9007199254740992.0;  // 2^53
    if (std::trunc(value) == value && std::fabs(value) < exact_integer_limit) {
      return static_cast<std::int64_t>(value);
    }
    return value;
  }
};

}  // namespace hello

// Exports the class through the plugin ABI (defines the entry point the host looks for).
MCPD_PLUGIN(hello::hello_plugin)
