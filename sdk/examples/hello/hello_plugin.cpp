// hello: the smallest complete mcpd plugin, written to be copied.
//
// It publishes two tools in the namespace "hello":
//   hello.greet {name}  -> the text "Hello, <name>!"
//   hello.add   {a, b}  -> structuredContent {"sum": a + b}, plus the same JSON as text
//
// Everything a plugin needs comes from one header.
#include <mcpd/sdk.hpp>

#include <string>
#include <tuple>

namespace hello {

namespace sdk = mcpd::sdk;
namespace json = boost::json;

// Arguments and results are plain structs. Each field is declared once, in fields(): that declaration
// gives the JSON Schema the client sees, the conversion from the call's arguments and, for results, the
// output schema and structuredContent. The host checks arguments against the schema before the handler
// runs, so the handler gets a name of 1 to 100 characters, never anything else.
struct greet_args {
  std::string name;
  static auto fields() {
    return std::tuple{
        sdk::field(&greet_args::name, "name", "Who to greet").with("minLength", 1).with("maxLength", 100)};
  }
};

struct add_args {
  double a = 0;
  double b = 0;
  static auto fields() {
    return std::tuple{sdk::field(&add_args::a, "a", "First addend"),
                      sdk::field(&add_args::b, "b", "Second addend")};
  }
};

struct add_result {
  double sum = 0;
  static auto fields() { return std::tuple{sdk::field(&add_result::sum, "sum", "")}; }
};

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
    reg.typed_tool<greet_args>(
        {.name = "greet",
         .title = "Greet",
         .description = "Says hello to someone by name.",
         .annotations = json::object{{"readOnlyHint", true}, {"openWorldHint", false}}},
        greet);
    // A handler that returns a struct: its fields become the output schema, and each result is sent as
    // structuredContent plus the same JSON as a text block, for clients that only read content.
    reg.typed_tool<add_args>({.name = "add",
                              .title = "Add",
                              .description = "Adds two numbers.",
                              .annotations = json::object{{"readOnlyHint", true}, {"idempotentHint", true}}},
                             add);
  }

 private:
  // A handler gets the call context (progress, cancellation, logging, ...) and the arguments, and returns
  // the result. An exception thrown here becomes an isError result carrying its message.
  static sdk::tool_result greet(sdk::call_context& /*context*/, const greet_args& args) {
    return sdk::tool_result{}.text("Hello, " + args.name + "!");
  }

  static add_result add(sdk::call_context& /*context*/, const add_args& args) { return {args.a + args.b}; }
};

}  // namespace hello

// Exports the class through the plugin ABI (defines the entry point the host looks for).
MCPD_PLUGIN(hello::hello_plugin)
