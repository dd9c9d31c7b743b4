// hello: the smallest complete mcpd plugin, written to be copied.
//
// It publishes two tools in the namespace "hello":
//   hello.greet {name}  -> the text "Hello, <name>!" ("Hello" is the setting plugin_config.hello.greeting)
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

// Settings are declared the same way. `using settings = hello_settings;` in the class publishes their
// schema as the plugin's config schema: mcpd checks plugin_config.hello against it, and
// `mcpd plugin inspect` shows it to operators, with "Hello" as the default.
struct hello_settings {
  std::string greeting = "Hello";
  static auto fields() {
    return std::tuple{sdk::field(&hello_settings::greeting, "greeting", "What greet says before the name")
                          .with("minLength", 1)
                          .with("maxLength", 40)
                          .optional()};
  }
};

// One class per plugin. The SDK creates it when the host loads the library and destroys it when the host
// unloads it, so member variables are the natural home for clients, caches and settings.
class hello_plugin final : public sdk::plugin {
 public:
  // Identity, read by MCPD_PLUGIN at compile time. The namespace prefixes every tool name ("hello.greet").
  static constexpr std::string_view plugin_namespace = "hello";
  static constexpr std::string_view plugin_version = "1.0.0";
  static constexpr std::string_view description = "Greets people and adds numbers: the mcpd SDK example";
  using settings = hello_settings;

  // Called once, after the host loaded the library. `config` is this plugin's section of the host's
  // config file ({} when there is none). Register every tool before returning.
  void init(const json::object& config, sdk::registry& reg) override {
    // Valid settings as given, the others at their defaults, and what the operator has to fix. A wrong
    // setting does not stop the plugin: greet answers with what to fix instead.
    settings_ = read_settings<settings>(config);
    reg.typed_tool<greet_args>(
        {.name = "greet",
         .title = "Greet",
         .description = "Says hello to someone by name.",
         .annotations = json::object{{"readOnlyHint", true}, {"openWorldHint", false}}},
        [this](sdk::call_context&, const greet_args& args) { return greet(args); });
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
  // the result (greet needs neither the context nor anything but its arguments and the settings). An
  // exception thrown here becomes an isError result carrying its message.
  sdk::tool_result greet(const greet_args& args) const {
    if (!settings_.ok()) return settings_.error_result();  // names each wrong setting
    return sdk::tool_result{}.text(settings_.value.greeting + ", " + args.name + "!");
  }

  static add_result add(sdk::call_context& /*context*/, const add_args& args) { return {args.a + args.b}; }

  sdk::settings_view<hello_settings> settings_;
};

}  // namespace hello

// Exports the class through the plugin ABI (defines the entry point the host looks for).
MCPD_PLUGIN(hello::hello_plugin)
