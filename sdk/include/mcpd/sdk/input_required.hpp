// mcpd::sdk::input_required: a handler's way to ask the client for something (a form, an LLM answer,
// its roots) instead of answering yet. Return it from a tool, prompt or resource handler; the host asks
// the client (a multi round-trip result for MCP 2026-07-28 clients, requests the host sends itself for
// older ones, an input_required task for tasks) and calls the handler again with the answers in
// call_context::input_responses() and the state in call_context::input_state().
//
//   if (auto name = context.input_response("name")) return sdk::tool_result{}.text(...);
//   return sdk::input_required{}
//       .elicit("name", "Which PostHog project?", schema)
//       .state(project_list_cursor);
#ifndef MCPD_SDK_INPUT_REQUIRED_HPP
#define MCPD_SDK_INPUT_REQUIRED_HPP

#include <mcpd/sdk/json_serialize.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace mcpd::sdk {

class input_required {
 public:
  /// elicitation/create in form mode: `requested_schema` is a flat object schema of primitive properties.
  input_required& elicit(std::string_view key, std::string_view message, json::object requested_schema) {
    return request(key, "elicitation/create",
                   json::object{{"mode", "form"},
                                {"message", message},
                                {"requestedSchema", std::move(requested_schema)}});
  }
  /// elicitation/create in URL mode: the user completes something at `url` (a sign-in, a payment).
  input_required& elicit_url(std::string_view key, std::string_view message, std::string_view url) {
    return request(key, "elicitation/create", json::object{{"mode", "url"}, {"message", message}, {"url", url}});
  }
  /// sampling/createMessage: `params` holds messages, maxTokens and the rest of CreateMessageRequest.
  input_required& sample(std::string_view key, json::object params) {
    return request(key, "sampling/createMessage", std::move(params));
  }
  /// roots/list.
  input_required& list_roots(std::string_view key) { return request(key, "roots/list", json::object{}); }
  /// Any of the three by method name.
  input_required& request(std::string_view key, std::string_view method, json::object params) {
    requests_[key] = json::object{{"method", method}, {"params", std::move(params)}};
    return *this;
  }

  /// What the handler needs to carry on (at most 64 KiB); it comes back as call_context::input_state().
  /// It travels through the client signed; `confidential` also encrypts it.
  input_required& state(std::string value, bool confidential = false) {
    state_ = std::move(value);
    confidential_ = confidential;
    return *this;
  }

  const json::object& requests() const noexcept { return requests_; }
  const std::string& state() const noexcept { return state_; }
  bool confidential() const noexcept { return confidential_; }

 private:
  json::object requests_;
  std::string state_;
  bool confidential_ = false;
};

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_INPUT_REQUIRED_HPP
