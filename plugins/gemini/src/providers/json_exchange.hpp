// One request to a model provider whose answer must be a JSON object: the part every provider call shares.
#pragma once

#include <string_view>

#include <boost/json.hpp>
#include <mcpd/sdk/http/client.hpp>

#include "../error_mapping.hpp"

namespace mcpd::gemini {

// Turns a failed outcome into the provider's message (describe_gemini_failure, describe_openai_failure).
using failure_describer = std::string (*)(const failure_context&, const sdk::http::outcome&);

// What to say when the answer is not a JSON object: "<tool>: <answerer> answered<what> with something
// that is not a JSON object ("<excerpt>").<hint>", e.g. answerer "Gemini", what " the models listing".
struct unexpected_answer_text {
  std::string_view answerer;
  std::string_view what;
  std::string_view hint;
};

// The answer of `outcome` parsed as a JSON object; throws provider_error as send_for_json_object does.
boost::json::object json_object_of(const sdk::http::outcome& outcome, const failure_context& context,
                                   failure_describer describe, const unexpected_answer_text& unexpected);

// Sends `request` and returns the answer parsed as a JSON object. Throws provider_error with
// `describe(context, outcome)` when the request failed (cancelled() set when it was cancelled), and with
// `unexpected`'s message, quoting the start of the body without secrets, when the answer is not an object.
boost::json::object send_for_json_object(const sdk::http::client& client, const sdk::http::request& request,
                                         const sdk::http::call_hooks& hooks, const failure_context& context,
                                         failure_describer describe,
                                         const unexpected_answer_text& unexpected);

}  // namespace mcpd::gemini
