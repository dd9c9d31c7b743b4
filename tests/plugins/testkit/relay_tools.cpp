// Tools that reach beyond the plugin through the host: a call into another
// namespace, and a request to the connected client.
#include <chrono>
#include <string>

#include <mcpd/sdk/http/context_hooks.hpp>

#include "testkit.hpp"

namespace testkit {
namespace {

sdk::tool_result call_other(sdk::call_context& call, const json::object& arguments) {
  const std::string name(arguments.at("name").as_string());
  json::object nested_arguments;
  if (const auto* given = arguments.if_contains("arguments")) nested_arguments = given->as_object();
  try {
    json::object nested = call.call_tool(name, nested_arguments);
    const auto text = json::serialize(nested);
    return sdk::tool_result{}.structured(json::object{{"nested", std::move(nested)}}).text(text);
  } catch (const sdk::error& failure) {
    return sdk::tool_result::error("testkit.call_other: calling " + name + " failed (status " +
                                   std::to_string(failure.status()) + "): " + failure.what());
  }
}

sdk::tool_result ask_client(sdk::call_context& call, const json::object& arguments) {
  std::string prompt = "Say hello";
  if (const auto* given = arguments.if_contains("prompt")) prompt = std::string(given->as_string());
  std::chrono::milliseconds timeout{0};
  if (const auto* given = arguments.if_contains("timeout_ms")) {
    timeout = std::chrono::milliseconds(given->to_number<std::int64_t>());
  }
  const json::object params{
      {"messages",
       json::array{json::object{{"role", "user"}, {"content", {{"type", "text"}, {"text", prompt}}}}}},
      {"maxTokens", 64}};
  try {
    json::value answer = call.client_request("sampling/createMessage", params, timeout);
    const auto text = json::serialize(answer);
    return sdk::tool_result{}.structured(json::object{{"answer", std::move(answer)}}).text(text);
  } catch (const sdk::error& failure) {
    return sdk::tool_result::error("testkit.ask_client: sampling/createMessage failed (status " +
                                   std::to_string(failure.status()) + "): " + failure.what());
  }
}

// Asks the user's name with sdk::input_required (ABI 1.2), keeping a state of its own, and greets them:
// one handler for both eras (a 2026-07-28 client gets input_required and retries; a legacy client is asked
// by the host). `greeting` makes the arguments part of what the sealed state is bound to.
sdk::tool_result ask_name(sdk::call_context& call, const json::object& arguments) {
  std::string greeting = "Hello";
  if (const auto* given = arguments.if_contains("greeting")) greeting = std::string(given->as_string());
  if (call.input_state() == "asked:" + greeting) {
    if (auto answer = call.input_response("name")) {
      const auto& object = answer->as_object();
      if (object.at("action") != "accept")
        return sdk::tool_result{}.text("No name given (" + std::string(object.at("action").as_string()) +
                                       ")");
      return sdk::tool_result{}.text(greeting + ", " +
                                     std::string(object.at("content").at("name").as_string()) + "!");
    }
  }
  return sdk::input_required{}
      .elicit("name", "What is your name?",
              json::object{{"type", "object"},
                           {"properties", {{"name", {{"type", "string"}}}}},
                           {"required", json::array{"name"}}})
      .state("asked:" + greeting);
}

// What the host passed on of the request's W3C trace context (ABI 1.2), and
// what the SDK's HTTP client would send upstream with hooks_for(call).
sdk::tool_result trace(sdk::call_context& call, const json::object&) {
  const auto hooks = sdk::http::hooks_for(call);
  return sdk::tool_result{}
      .structured(json::object{{"traceparent", call.traceparent()},
                               {"tracestate", call.tracestate()},
                               {"upstream_traceparent", hooks.traceparent}})
      .text(std::string(call.traceparent()));
}

}  // namespace

void register_relay_tools(sdk::registry& registry) {
  registry.tool(
      {.name = "call_other",
       .title = "Call another tool",
       .description = "Calls the tool `name` (any namespace) through the host with `arguments` and returns "
                      "its CallToolResult as structuredContent {nested}.",
       .input_schema = closed_object_schema(
           {{"name", {{"type", "string"}, {"minLength", 1}}}, {"arguments", {{"type", "object"}}}},
           {"name"})},
      call_other);
  registry.tool(
      {.name = "ask_client",
       .title = "Ask the client",
       .description = "Sends sampling/createMessage with `prompt` to the client and returns its answer "
                      "as structuredContent {answer}.",
       .input_schema = closed_object_schema(
           {{"prompt", {{"type", "string"}}},
            {"timeout_ms", {{"type", "integer"}, {"minimum", 1}, {"maximum", 600000}}}})},
      ask_client);
  registry.tool(
      {.name = "ask_name",
       .title = "Ask a name",
       .description = "Asks the user's name (elicitation, as a multi round-trip request) and greets "
                      "them with `greeting` (default Hello).",
       .input_schema = closed_object_schema({{"greeting", {{"type", "string"}}}})},
      ask_name);
  registry.tool({.name = "trace",
                 .title = "Trace context",
                 .description = "Returns the W3C trace context of the request as the host passed it "
                                "(structuredContent {traceparent, tracestate, upstream_traceparent}).",
                 .input_schema = closed_object_schema({})},
                trace);
}

}  // namespace testkit
