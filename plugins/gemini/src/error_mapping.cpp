#include "error_mapping.hpp"

#include <boost/json.hpp>

#include "google_error.hpp"
#include "tool_names.hpp"

namespace mcpd::gemini {
namespace {

constexpr std::string_view gemini_key_setting =
    "plugin_config.gemini.api_key (or the GEMINI_API_KEY environment variable)";
constexpr std::string_view gemini_url_setting = "plugin_config.gemini.api_base_url (or GEMINI_API_BASE_URL)";
constexpr std::string_view openai_url_setting = "plugin_config.gemini.openai_compatible.base_url";
constexpr std::string_view openai_key_setting = "plugin_config.gemini.openai_compatible.api_key";

std::string redacted(const failure_context& context, std::string_view text) {
  return context.secrets != nullptr ? context.secrets->redact(text) : std::string(text);
}

std::string quoted(const failure_context& context, std::string_view provider, std::string_view message) {
  if (message.empty()) return {};
  return " " + std::string(provider) + " said: \"" +
         sdk::http::redacted_excerpt(message, 500, context.secrets) + "\"";
}

std::string seconds_text(std::chrono::milliseconds wait) {
  const auto seconds = (wait.count() + 999) / 1000;
  return std::to_string(seconds < 1 ? 1 : seconds) + " s";
}

std::string attempts_text(int attempts) {
  return std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
}

std::string model_text(const failure_context& context) {
  return context.model.empty() ? std::string("the model") : "model \"" + context.model + "\"";
}

// Messages for outcomes without an HTTP answer, the same for both providers.
std::string describe_no_answer(const failure_context& context, const sdk::http::outcome& outcome,
                               std::string_view provider, std::string_view url_setting) {
  using sdk::http::failure_kind;
  const std::string& tool = context.tool;
  switch (outcome.failure) {
    case failure_kind::cancelled:
      return tool + ": cancelled";
    case failure_kind::timeout:
      return tool + ": " + std::string(provider) + " did not answer within " +
             std::to_string(context.timeout.count()) + " ms (" + attempts_text(outcome.attempts) +
             "). Large images and thinking models take longer: try fewer images, or raise "
             "plugin_config.gemini.timeout_ms. (" +
             redacted(context, outcome.failure_detail) + ")";
    case failure_kind::too_large:
      return tool + ": " + redacted(context, outcome.failure_detail) + ". Check " + std::string(url_setting) +
             ": a model's answer is never this large.";
    case failure_kind::tls:
      return tool + ": " + redacted(context, outcome.failure_detail) + ". Check " + std::string(url_setting) +
             " and that the server's certificate is trusted by this machine.";
    default:
      return tool + ": " + redacted(context, outcome.failure_detail) + " after " +
             attempts_text(outcome.attempts) + ". Check " + std::string(url_setting) +
             " and the network connection" +
             (provider == "the model server" ? " (is the local server running?)." : ".");
  }
}

// "top_p" -> "topP": Gemini's JSON names of the snake_case arguments.
std::string camel_case(std::string_view name) {
  std::string out;
  bool upper = false;
  for (const char c : name) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

// The sampling argument the provider refused, named by a field violation or in its message (in either
// spelling); "" when the refusal is about something else. Newer models (Gemini 3.6 and later, OpenAI's
// reasoning models) refuse temperature, top_p and top_k outright.
std::string refused_sampling_argument(const failure_context& context, std::string_view message,
                                      const std::vector<std::string>& refused_fields) {
  for (const auto& argument : context.sampling_sent) {
    for (const std::string& name : {argument, camel_case(argument)}) {
      if (message.find(name) != std::string_view::npos) return argument;
      for (const auto& field : refused_fields) {
        if (std::string_view(field).ends_with(name)) return argument;
      }
    }
  }
  return {};
}

std::string sampling_refusal(const failure_context& context, const std::string& argument,
                             std::string_view provider, const std::string& code, const std::string& said) {
  return context.tool + ": " + model_text(context) + " does not accept " + argument + code + ": " +
         std::string(provider) + " set their own sampling. Leave \"" + argument +
         "\" out of the call and ask again." + said;
}

// The human-readable message of an OpenAI-style error body ({"error": {"message"}} or {"error": "..."}
// or {"detail": "..."}); the start of the body otherwise.
std::string openai_error_message(std::string_view body) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(body, ec);
  if (!ec) {
    if (parsed.is_array() && !parsed.get_array().empty()) parsed = parsed.get_array().front();
    if (parsed.is_object()) {
      const auto& object = parsed.get_object();
      if (const auto* error = object.if_contains("error")) {
        if (error->is_string()) return std::string(error->get_string());
        if (error->is_object()) {
          if (const auto* message = error->get_object().if_contains("message");
              message != nullptr && message->is_string())
            return std::string(message->get_string());
        }
      }
      for (const char* key : {"detail", "message"}) {
        if (const auto* value = object.if_contains(key); value != nullptr && value->is_string())
          return std::string(value->get_string());
      }
    }
  }
  return std::string(body);  // quoted() redacts and then shortens it
}

}  // namespace

std::string body_excerpt(std::string_view body, const sdk::http::secret_list* secrets) {
  return sdk::http::redacted_excerpt(body, 200, secrets);
}

gemini_answer_text describe_gemini_answer(const failure_context& context, const sdk::http::response& reply) {
  const auto error = parse_google_error(reply.body);
  const std::string message = error ? error->message : body_excerpt(reply.body, context.secrets);
  return {" (HTTP " + std::to_string(reply.status) +
              (error && !error->status.empty() ? " " + error->status : std::string()) + ")",
          quoted(context, "Gemini", message)};
}

std::string describe_gemini_failure(const failure_context& context, const sdk::http::outcome& outcome) {
  if (!outcome.reply) return describe_no_answer(context, outcome, "Gemini", gemini_url_setting);

  const std::string& tool = context.tool;
  const int status = outcome.reply->status;
  const auto error = parse_google_error(outcome.reply->body);
  const auto [code, said] = describe_gemini_answer(context, *outcome.reply);

  const bool key_refused = status == 401 || status == 403 || (error && error->reason == "API_KEY_INVALID");
  if (key_refused) {
    return tool + ": Gemini refused the API key" + code + ". Check " + std::string(gemini_key_setting) +
           ": it must be a valid key from https://aistudio.google.com/apikey whose project may use the "
           "Generative Language API" +
           (context.operation == provider_operation::generate ? " and " + model_text(context)
                                                              : std::string()) +
           "." + said;
  }
  if (status == 400) {
    if (error) {
      if (auto argument = refused_sampling_argument(context, error->message, error->refused_fields);
          !argument.empty())
        return sampling_refusal(context, argument, "newer Gemini models (3.6 and later)", code, said);
    }
    return tool + ": Gemini rejected the request as invalid" + code +
           "; fix the arguments (retrying the same call will fail again)." + said;
  }
  if (status == 404) {
    if (context.operation == provider_operation::list_models) {
      return tool + ": Gemini has no models listing at this address" + code + ". Check " +
             std::string(gemini_url_setting) + "." + said;
    }
    if (context.operation == provider_operation::files) {
      return tool + ": Gemini's Files API does not know the uploaded video" + code +
             " (uploads expire after 48 hours, or the address is not Gemini's: check " +
             std::string(gemini_url_setting) + "). Ask again to upload it anew." + said;
    }
    return tool + ": Gemini does not know " + model_text(context) + code +
           " (it may be retired or misspelled). Call " + gemini_tool_beside(tool, "models_list") +
           " to see the models this key can use, then pass one as \"model\" or set "
           "plugin_config.gemini.default_model." +
           said;
  }
  if (status == 429) {
    std::string quota;
    if (error && !error->quota_ids.empty()) quota = " (quota " + error->quota_ids.front() + ")";
    if (error && error->daily_quota()) {
      return tool + ": the daily quota of " + model_text(context) + " is used up" + quota + code +
             ", so the call was not retried. It resets at midnight Pacific time; until then use another "
             "model (see " +
             gemini_tool_beside(tool, "models_list") + ") or a key of a project with billing enabled." + said;
    }
    std::string text = tool + ": Gemini rate limited the request" + quota + code + " after " +
                       attempts_text(outcome.attempts);
    if (outcome.retry_after) {
      text += "; it asked to wait " + seconds_text(*outcome.retry_after) + ", so retry after that";
      if (outcome.attempts == 1)
        text += " (longer than plugin_config.gemini.retry.max_retry_delay_ms allows)";
      text += ".";
    } else {
      text += "; wait a minute before retrying.";
    }
    return text + " Per-minute quotas depend on the model and the project's tier." + said;
  }
  if (status == 413) {
    return tool + ": Gemini refused the request as too large" + code +
           "; send fewer or smaller images (lower plugin_config.gemini.max_image_long_edge)." + said;
  }
  if (status >= 500) {
    return tool + ": Gemini failed with a server error" + code + " after " + attempts_text(outcome.attempts) +
           "; the problem is on Google's side. Try again later, or another model." + said;
  }
  return tool + ": Gemini refused the request" + code + "." + said;
}

std::string describe_openai_failure(const failure_context& context, const sdk::http::outcome& outcome) {
  if (!outcome.reply) return describe_no_answer(context, outcome, "the model server", openai_url_setting);

  const std::string& tool = context.tool;
  const int status = outcome.reply->status;
  const std::string code = " (HTTP " + std::to_string(status) + ")";
  const std::string said = quoted(context, "The server", openai_error_message(outcome.reply->body));

  if (status == 401) {
    return tool + ": the model server refused the API key" + code + ". Check " +
           std::string(openai_key_setting) + "." + said;
  }
  if (status == 403) {
    return tool + ": the API key may not use " + model_text(context) + " or this endpoint" + code +
           ". Check " + std::string(openai_key_setting) + " and the key's permissions." + said;
  }
  if (status == 404) {
    if (context.operation == provider_operation::list_models) {
      return tool + ": the server has no /models listing" + code + ". Check " +
             std::string(openai_url_setting) + " (it usually ends in /v1)." + said;
    }
    return tool + ": the server does not know " + model_text(context) + " or has no /chat/completions" +
           code + ". Call " + gemini_tool_beside(tool, "models_list") +
           " to see its models (for Ollama, `ollama pull` the model first), and "
           "check " +
           std::string(openai_url_setting) + " (it usually ends in /v1)." + said;
  }
  if (status == 400 || status == 422) {
    const std::string message = openai_error_message(outcome.reply->body);
    if (auto argument = refused_sampling_argument(context, message, {}); !argument.empty())
      return sampling_refusal(context, argument, "newer models (reasoning models among them)", code, said);
    // OpenAI's reasoning models refuse max_tokens and want max_completion_tokens instead.
    const bool wants_completion_tokens = message.find("max_completion_tokens") != std::string::npos;
    return tool + ": the server rejected the request as invalid" + code +
           (wants_completion_tokens
                ? "; this model does not accept max_tokens: call again without max_output_tokens."
                : "; fix the arguments (not every model accepts images or response_schema).") +
           said;
  }
  if (status == 413) {
    return tool + ": the server refused the request as too large" + code +
           "; send fewer or smaller images, or lower plugin_config.gemini.max_request_bytes." + said;
  }
  if (status == 429) {
    return tool + ": the server rate limited the request" + code + " after " +
           attempts_text(outcome.attempts) +
           (outcome.retry_after ? "; retry after " + seconds_text(*outcome.retry_after) + "."
                                : "; wait a minute before retrying.") +
           said;
  }
  if (status >= 500) {
    return tool + ": the model server failed" + code + " after " + attempts_text(outcome.attempts) +
           "; try again later." + said;
  }
  return tool + ": the model server refused the request" + code + "." + said;
}

}  // namespace mcpd::gemini
