// Prompts: one without arguments, one with two arguments (also the target of
// the suite's completion/complete request), one embedding a resource and one
// carrying an image.
#include <array>
#include <string>

#include "fixtures.hpp"

namespace conformance {

namespace {

std::string string_argument(const json::object& arguments, std::string_view name) {
  return std::string(arguments.at(name).as_string());
}

// Suggestions for test_prompt_with_arguments; the suite sends arg1="test".
constexpr std::array<std::string_view, 5> suggestions = {"paris", "park", "party", "test", "testing"};

sdk::completion_result complete_argument(sdk::call_context&, const json::object& request) {
  const std::string_view prefix = request.at("argument").as_object().at("value").as_string();
  sdk::completion_result result;
  for (const std::string_view value : suggestions) {
    if (value.starts_with(prefix)) {
      result.values.emplace_back(value);
    }
  }
  return result;
}

}  // namespace

void register_prompts(sdk::registry& registry) {
  registry.prompt({.name = "test_simple_prompt",
                   .title = "Simple Test Prompt",
                   .description = "A prompt without arguments"},
                  [](sdk::call_context&, const json::object&) {
                    return sdk::prompt_result{}.user("This is a simple prompt for testing.");
                  });

  registry.prompt(
      {.name = "test_prompt_with_arguments",
       .title = "Prompt With Arguments",
       .description = "A prompt that repeats its two arguments",
       .arguments = {{.name = "arg1", .description = "First test argument", .required = true},
                     {.name = "arg2", .description = "Second test argument", .required = true}}},
      [](sdk::call_context&, const json::object& arguments) {
        return sdk::prompt_result{}.user("Prompt with arguments: arg1='" +
                                         string_argument(arguments, "arg1") + "', arg2='" +
                                         string_argument(arguments, "arg2") + "'");
      },
      complete_argument);

  registry.prompt(
      {.name = "test_prompt_with_embedded_resource",
       .title = "Prompt With Embedded Resource",
       .description = "A prompt that embeds the resource named by resourceUri",
       .arguments = {{.name = "resourceUri",
                      .description = "URI of the resource to embed",
                      .required = true}}},
      [](sdk::call_context&, const json::object& arguments) {
        return sdk::prompt_result{}
            .user(sdk::content_block::resource_text(string_argument(arguments, "resourceUri"), "text/plain",
                                                    "Embedded resource content for testing."))
            .user("Please process the embedded resource above.");
      });

  registry.prompt({.name = "test_prompt_with_image",
                   .title = "Prompt With Image",
                   .description = "A prompt that carries a PNG image"},
                  [](sdk::call_context&, const json::object&) {
                    return sdk::prompt_result{}
                        .user(sdk::content_block::image(tiny_png(), "image/png"))
                        .user("Please analyze the image above.");
                  });
}

}  // namespace conformance
