// Turning a failed request to a model provider into a message that says what to do: which setting to
// check, which model to pick, when to retry. Upstream explanations are quoted with secrets redacted.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <mcpd/sdk/http/client.hpp>

namespace mcpd::gemini {

// files: the Files API (upload, processing status, delete) behind ask_about_video.
enum class provider_operation { generate, list_models, files };

// What the failed request was, so the message can be specific.
struct failure_context {
  std::string tool;   // "gemini.ask_about_images"
  std::string model;  // the model asked for; "" for list_models
  provider_operation operation = provider_operation::generate;
  std::chrono::milliseconds timeout{120000};
  const sdk::http::secret_list* secrets = nullptr;
  // The sampling arguments the request carried ("temperature"), so that a model refusing one is reported
  // by the argument's name.
  std::vector<std::string> sampling_sent = {};
};

// How Gemini answered a failed request, for messages built elsewhere: code is " (HTTP 404 NOT_FOUND)",
// said is " Gemini said: \"...\"" (redacted and shortened; empty when Gemini said nothing).
struct gemini_answer_text {
  std::string code;
  std::string said;
};
gemini_answer_text describe_gemini_answer(const failure_context& context, const sdk::http::response& reply);

// The message for a Gemini request whose outcome is not a 2xx answer.
std::string describe_gemini_failure(const failure_context& context, const sdk::http::outcome& outcome);

// The message for an OpenAI-compatible request whose outcome is not a 2xx answer.
std::string describe_openai_failure(const failure_context& context, const sdk::http::outcome& outcome);

// The start of a body that is not what was expected, for messages: one line, at most 200 characters,
// secrets redacted.
std::string body_excerpt(std::string_view body, const sdk::http::secret_list* secrets);

}  // namespace mcpd::gemini
