// Tools that send a request back to the client while they run
// (sampling/createMessage, elicitation/create) and report what it answered.
// A client that lacks the capability, refuses, or times out makes the tool
// fail with isError:true and the host's explanation (the SDK turns the thrown
// sdk::error into that result).
#include <string>

#include "fixtures.hpp"

namespace conformance {

namespace {

std::string string_argument(const json::object& arguments, std::string_view name) {
  return std::string(arguments.at(name).as_string());
}

sdk::tool_result sample(sdk::call_context& context, const json::object& arguments) {
  const json::object request{
      {"messages",
       json::array{json::object{
           {"role", "user"},
           {"content", json::object{{"type", "text"}, {"text", string_argument(arguments, "prompt")}}},
       }}},
      {"maxTokens", 100},
  };
  const json::value answer = context.client_request("sampling/createMessage", request);
  // CreateMessageResult.content is one block; newer clients may send an array of blocks.
  std::string text = "(no text in the answer)";
  if (const auto* content = answer.as_object().if_contains("content")) {
    const json::value& first =
        content->is_array() && !content->as_array().empty() ? content->as_array()[0] : *content;
    if (const auto* block_text = first.is_object() ? first.as_object().if_contains("text") : nullptr;
        block_text != nullptr && block_text->is_string()) {
      text = std::string(block_text->as_string());
    }
  }
  return sdk::tool_result{}.text("LLM response: " + text);
}

// Asks the client with a form and reports the action and content it answered.
sdk::tool_result elicit(sdk::call_context& context, std::string_view message, std::string_view schema,
                        std::string_view prefix) {
  const json::object request{
      {"mode", "form"},
      {"message", message},
      {"requestedSchema", sdk::parse_object(schema)},
  };
  const json::object answer = context.client_request("elicitation/create", request).as_object();
  const json::value* action = answer.if_contains("action");
  const json::value* content = answer.if_contains("content");
  return sdk::tool_result{}.text(
      std::string(prefix) + "action=" + (action != nullptr ? std::string(action->as_string()) : "(none)") +
      ", content=" + (content != nullptr ? json::serialize(*content) : "{}"));
}

constexpr std::string_view contact_form = R"({
  "type": "object",
  "properties": {
    "username": {"type": "string", "description": "User's response"},
    "email": {"type": "string", "description": "User's email address"}
  },
  "required": ["username", "email"]
})";

// SEP-1034: a default for every primitive type.
constexpr std::string_view defaults_form = R"({
  "type": "object",
  "properties": {
    "name": {"type": "string", "description": "User name", "default": "John Doe"},
    "age": {"type": "integer", "description": "User age", "default": 30},
    "score": {"type": "number", "description": "User score", "default": 95.5},
    "status": {"type": "string", "description": "User status", "enum": ["active", "inactive", "pending"],
               "default": "active"},
    "verified": {"type": "boolean", "description": "Verification status", "default": true}
  },
  "required": []
})";

// SEP-1330: the five enum shapes (untitled/titled single select, legacy
// enumNames, untitled/titled multi select).
constexpr std::string_view enums_form = R"json({
  "type": "object",
  "properties": {
    "untitledSingle": {"type": "string", "description": "Pick one", "enum": ["option1", "option2", "option3"]},
    "titledSingle": {"type": "string", "description": "Pick one, titled", "oneOf": [
      {"const": "value1", "title": "First Option"},
      {"const": "value2", "title": "Second Option"},
      {"const": "value3", "title": "Third Option"}]},
    "legacyEnum": {"type": "string", "description": "Pick one, legacy titles", "enum": ["opt1", "opt2", "opt3"],
                   "enumNames": ["Option One", "Option Two", "Option Three"]},
    "untitledMulti": {"type": "array", "description": "Pick several", "minItems": 1, "maxItems": 3,
                      "items": {"type": "string", "enum": ["option1", "option2", "option3"]}},
    "titledMulti": {"type": "array", "description": "Pick several, titled", "minItems": 1, "maxItems": 3,
                    "items": {"anyOf": [
                      {"const": "value1", "title": "First Choice"},
                      {"const": "value2", "title": "Second Choice"},
                      {"const": "value3", "title": "Third Choice"}]}}
  },
  "required": []
})json";

}  // namespace

void register_client_request_tools(sdk::registry& registry) {
  registry.tool({.name = "test_sampling",
                 .description = "Asks the client's LLM (sampling/createMessage) and returns its answer.",
                 .input_schema = sdk::parse_object(R"({
                   "type": "object",
                   "properties": {"prompt": {"type": "string", "description": "The prompt to send to the LLM"}},
                   "required": ["prompt"],
                   "additionalProperties": false
                 })")},
                sample);

  registry.tool({.name = "test_elicitation",
                 .description = "Asks the user for a username and an email (elicitation/create).",
                 .input_schema = sdk::parse_object(R"({
                   "type": "object",
                   "properties": {"message": {"type": "string", "description": "The message to show the user"}},
                   "required": ["message"],
                   "additionalProperties": false
                 })")},
                [](sdk::call_context& context, const json::object& arguments) {
                  return elicit(context, string_argument(arguments, "message"), contact_form,
                                "User response: ");
                });

  // Needs sampling whatever its arguments: a client that did not declare the
  // capability gets -32021 from a 2026-07-28 request (mcpd turns the refused
  // client request into that error) and isError:true in a legacy session.
  registry.tool({.name = "test_missing_capability",
                 .description = "Asks the client's LLM a fixed question; needs the sampling capability.",
                 .input_schema = no_arguments_schema()},
                [](sdk::call_context& context, const json::object&) {
                  return sample(context, json::object{{"prompt", "What is the capital of France?"}});
                });

  // Reports progress on its own stream, then asks the user. A 2026-07-28
  // client is never sent the request (servers send none in that revision):
  // the tool then answers isError:true saying why.
  registry.tool(
      {.name = "test_streaming_elicitation",
       .description = "Streams a progress notification, then asks the user to confirm (elicitation).",
       .input_schema = no_arguments_schema()},
      [](sdk::call_context& context, const json::object&) {
        context.progress(0, 1, "asking the user");
        return elicit(context, "Please confirm to continue", contact_form, "User response: ");
      });

  registry.tool({.name = "test_elicitation_sep1034_defaults",
                 .description = "Elicitation whose form has a default for every primitive type (SEP-1034).",
                 .input_schema = no_arguments_schema()},
                [](sdk::call_context& context, const json::object&) {
                  return elicit(context, "Please review and update the form fields with defaults",
                                defaults_form, "Elicitation completed: ");
                });

  registry.tool({.name = "test_elicitation_sep1330_enums",
                 .description = "Elicitation whose form uses all five enum shapes (SEP-1330).",
                 .input_schema = no_arguments_schema()},
                [](sdk::call_context& context, const json::object&) {
                  return elicit(context, "Please select options from the enum fields", enums_form,
                                "Elicitation completed: ");
                });
}

}  // namespace conformance
