// One static resource and one prompt with an argument: enough for the e2e
// tests to see that SDK-registered resources and prompts reach the client.
#include <string>

#include "testkit.hpp"

namespace testkit {

void register_resources_and_prompts(sdk::registry& registry) {
  registry.resource({.uri = "testkit://hello",
                     .name = "hello",
                     .title = "Hello resource",
                     .description = "A fixed greeting from testkit",
                     .mime_type = "text/plain"},
                    [](sdk::call_context&, std::string_view uri, const json::object&) {
                      return sdk::resource_result{}.text(uri, "text/plain", "Hello from testkit");
                    });
  registry.prompt(
      {.name = "greeting",
       .title = "Greeting",
       .description = "Asks for a greeting addressed to `name`",
       .arguments = {{.name = "name", .description = "who to greet", .required = true}}},
      [](sdk::call_context&, const json::object& arguments) {
        const std::string name(arguments.at("name").as_string());
        return sdk::prompt_result{}.description("Greeting for " + name).user("Please greet " + name + ".");
      });
}

}  // namespace testkit
