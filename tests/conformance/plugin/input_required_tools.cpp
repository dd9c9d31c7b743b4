// Multi round-trip fixtures (MCP 2026-07-28, SEP-2322): handlers that answer
// with sdk::input_required first and are called again with what the client
// said. The suite's input-required-result-* scenarios drive them; the same
// handlers serve a legacy client, whom mcpd asks itself.
#include <string>

#include "fixtures.hpp"

namespace conformance {

namespace {

json::object text_property_schema(std::string_view property) {
  return json::object{{"type", "object"},
                      {"properties", json::object{{property, json::object{{"type", "string"}}}}},
                      {"required", json::array{json::value(property)}}};
}

json::object confirm_schema() {
  return sdk::parse_object(R"({"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"]})");
}

json::object sampling_params(std::string_view question, int max_tokens) {
  return json::object{
      {"messages", json::array{json::object{
                       {"role", "user"}, {"content", json::object{{"type", "text"}, {"text", question}}}}}},
      {"maxTokens", max_tokens}};
}

// The accepted content of an elicitation answer, or nullopt when there is none (declined, missing).
std::optional<json::object> accepted(const sdk::call_context& context, std::string_view key) {
  auto answer = context.input_response(key);
  if (!answer || !answer->is_object()) return std::nullopt;
  const auto* action = answer->as_object().if_contains("action");
  const auto* content = answer->as_object().if_contains("content");
  if (action == nullptr || *action != "accept" || content == nullptr || !content->is_object())
    return std::nullopt;
  return content->as_object();
}

std::string text_of_sample(const json::value& answer) {
  if (const auto* content = answer.is_object() ? answer.as_object().if_contains("content") : nullptr) {
    const json::value& first =
        content->is_array() && !content->as_array().empty() ? content->as_array()[0] : *content;
    if (const auto* text = first.is_object() ? first.as_object().if_contains("text") : nullptr;
        text != nullptr && text->is_string())
      return std::string(text->as_string());
  }
  return "(no text)";
}

sdk::tool_result elicitation(sdk::call_context& context, const json::object&) {
  if (auto content = accepted(context, "user_name"); content && content->contains("name"))
    return sdk::tool_result{}.text("Hello, " + std::string(content->at("name").as_string()) + "!");
  return sdk::input_required{}.elicit("user_name", "What is your name?", text_property_schema("name"));
}

sdk::tool_result sampling(sdk::call_context& context, const json::object&) {
  if (auto answer = context.input_response("capital_question"))
    return sdk::tool_result{}.text("The client's model said: " + text_of_sample(*answer));
  return sdk::input_required{}.sample("capital_question",
                                      sampling_params("What is the capital of France?", 100));
}

sdk::tool_result list_roots(sdk::call_context& context, const json::object&) {
  if (auto answer = context.input_response("client_roots")) {
    const auto* roots = answer->is_object() ? answer->as_object().if_contains("roots") : nullptr;
    return sdk::tool_result{}.text("The client's roots: " +
                                   (roots != nullptr ? json::serialize(*roots) : "[]"));
  }
  return sdk::input_required{}.list_roots("client_roots");
}

// Keeps a state of its own: the answer only counts with the state it asked with.
sdk::tool_result request_state(sdk::call_context& context, const json::object&) {
  if (context.input_state() == "awaiting-confirmation")
    if (auto content = accepted(context, "confirm"))
      return sdk::tool_result{}.text("state-ok: confirmed=" + json::serialize(content->at("ok")));
  return sdk::input_required{}
      .elicit("confirm", "Please confirm", confirm_schema())
      .state("awaiting-confirmation");
}

sdk::tool_result multiple_inputs(sdk::call_context& context, const json::object&) {
  auto name = accepted(context, "user_name");
  auto greeting = context.input_response("greeting");
  auto roots = context.input_response("client_roots");
  if (context.input_state() == "three-questions" && name && greeting && roots)
    return sdk::tool_result{}.text("name=" + json::serialize(name->at("name")) + ", greeting=" +
                                   text_of_sample(*greeting) + ", roots=" + json::serialize(*roots));
  return sdk::input_required{}
      .elicit("user_name", "What is your name?", text_property_schema("name"))
      .sample("greeting", sampling_params("Generate a greeting", 50))
      .list_roots("client_roots")
      .state("three-questions");
}

// Two questions, one per round; the first answer travels in the state, since the client does not send
// it again.
sdk::tool_result multi_round(sdk::call_context& context, const json::object&) {
  const auto state = context.input_state();
  if (state && state->starts_with("name=")) {
    if (auto content = accepted(context, "step2"))
      return sdk::tool_result{}.text(std::string(state->substr(5)) + " likes " +
                                     std::string(content->at("color").as_string()));
    return sdk::input_required{}
        .elicit("step2", "Step 2: What is your favorite color?", text_property_schema("color"))
        .state(std::string(*state));
  }
  if (auto content = accepted(context, "step1"))
    return sdk::input_required{}
        .elicit("step2", "Step 2: What is your favorite color?", text_property_schema("color"))
        .state("name=" + std::string(content->at("name").as_string()));
  return sdk::input_required{}
      .elicit("step1", "Step 1: What is your name?", text_property_schema("name"))
      .state("round-1");
}

// Asks only for what the request's client declared: sampling if it can, else elicitation.
sdk::tool_result capabilities(sdk::call_context& context, const json::object&) {
  if (auto answer = context.input_response("question"))
    return sdk::tool_result{}.text("answered: " + json::serialize(*answer));
  if (context.client_supports("sampling"))
    return sdk::input_required{}.sample("question", sampling_params("Say hello", 20));
  if (context.client_supports("elicitation"))
    return sdk::input_required{}.elicit("question", "Say hello", text_property_schema("text"));
  return sdk::tool_result::error("this tool needs the sampling or the elicitation capability");
}

}  // namespace

void register_input_required_tools(sdk::registry& registry) {
  const auto tool = [&](std::string name, std::string description, sdk::tool_handler handler) {
    registry.tool({.name = std::move(name),
                   .description = std::move(description),
                   .input_schema = no_arguments_schema()},
                  std::move(handler));
  };
  tool("test_input_required_result_elicitation", "Asks the user's name (elicitation), then greets them.",
       elicitation);
  tool("test_input_required_result_sampling",
       "Asks the client's model a question (sampling), then reports it.", sampling);
  tool("test_input_required_result_list_roots", "Asks the client for its roots, then reports them.",
       list_roots);
  tool("test_input_required_result_request_state",
       "Asks for a confirmation with a state of its own and checks the state comes back.", request_state);
  tool("test_input_required_result_tampered_state",
       "Asks for a confirmation with a state; a tampered state must be refused.", request_state);
  tool("test_input_required_result_multiple_inputs",
       "Asks three things at once: a name (elicitation), a greeting (sampling) and the roots.",
       multiple_inputs);
  tool("test_input_required_result_multi_round", "Asks a name, then a colour, one round each.", multi_round);
  tool("test_input_required_result_capabilities",
       "Asks only for input the request's client capabilities declare.", capabilities);

  registry.prompt({.name = "test_input_required_result_prompt",
                   .description = "A prompt that asks the user for its context first (elicitation)"},
                  [](sdk::call_context& context, const json::object&) -> sdk::prompt_result {
                    if (auto content = accepted(context, "user_context");
                        content && content->contains("context"))
                      return sdk::prompt_result{}.user("Use this context: " +
                                                       std::string(content->at("context").as_string()));
                    return sdk::input_required{}.elicit("user_context", "What context should the prompt use?",
                                                        text_property_schema("context"));
                  });
}

}  // namespace conformance
