#include "gemini_client.hpp"

#include <chrono>

#include <boost/json.hpp>

#include "../error_mapping.hpp"
#include "../google_error.hpp"
#include "../provider_error.hpp"
#include "json_exchange.hpp"
#include "json_fields.hpp"

namespace mcpd::gemini {
namespace {

namespace json = boost::json;

// Finish reasons for which Gemini withheld or cut the answer on purpose; reported as errors, because
// whatever text came with them is not an answer to rely on.
std::string withheld_reason_text(std::string_view reason) {
  if (reason == "SAFETY") return "the answer was flagged by Gemini's safety filters";
  if (reason == "RECITATION") return "the answer would have recited copyrighted material";
  if (reason == "PROHIBITED_CONTENT") return "the request or answer involves prohibited content";
  if (reason == "SPII") return "the answer would have contained sensitive personal information";
  if (reason == "BLOCKLIST") return "the answer contained terms from a blocklist";
  if (reason == "IMAGE_SAFETY") return "an image was flagged by Gemini's safety filters";
  if (reason == "LANGUAGE") return "the answer would have been in an unsupported language";
  return {};
}

std::string block_reason_text(std::string_view reason) {
  if (reason == "SAFETY") return "it was flagged by Gemini's safety filters";
  if (reason == "PROHIBITED_CONTENT") return "it involves prohibited content";
  if (reason == "BLOCKLIST") return "it contains terms from a blocklist";
  if (reason == "IMAGE_SAFETY") return "an image was flagged by Gemini's safety filters";
  return "of " + std::string(reason);
}

json::object text_part(std::string_view text) {
  return json::object{{"text", text}};
}

vision_answer read_answer(const vision_request& request, const json::object& response,
                          const std::string& tool) {
  vision_answer answer;
  answer.model = request.model;
  if (auto version = string_at(response, "modelVersion"); !version.empty()) answer.model = version;
  if (const auto* usage = object_at(response, "usageMetadata")) {
    answer.usage.prompt_tokens = integer_at(*usage, "promptTokenCount");
    answer.usage.output_tokens = integer_at(*usage, "candidatesTokenCount");
    answer.usage.thoughts_tokens = integer_at(*usage, "thoughtsTokenCount");
    answer.usage.total_tokens = integer_at(*usage, "totalTokenCount");
  }

  const auto* candidates = response.if_contains("candidates");
  if (candidates == nullptr || !candidates->is_array() || candidates->get_array().empty() ||
      !candidates->get_array().front().is_object()) {
    std::string reason;
    std::string feedback_message;
    if (const auto* feedback = object_at(response, "promptFeedback")) {
      reason = string_at(*feedback, "blockReason");
      feedback_message = string_at(*feedback, "blockReasonMessage");
    }
    if (!reason.empty()) {
      throw provider_error(
          tool + ": Gemini blocked the prompt (blockReason " + reason + ") because " +
          block_reason_text(reason) + "; nothing was answered. Rephrase the question or send other images." +
          (feedback_message.empty() ? std::string() : " Gemini said: \"" + feedback_message + "\""));
    }
    throw provider_error(tool + ": Gemini returned no answer (no candidates and no blockReason); try again.");
  }

  const auto& candidate = candidates->get_array().front().get_object();
  answer.finish_reason = string_at(candidate, "finishReason");
  if (const auto* content = object_at(candidate, "content")) {
    if (const auto* parts = content->if_contains("parts"); parts != nullptr && parts->is_array()) {
      for (const auto& part : parts->get_array()) {
        if (!part.is_object()) continue;
        const auto& fields = part.get_object();
        // Thought summaries are the model's reasoning, not its answer.
        if (const auto* thought = fields.if_contains("thought");
            thought != nullptr && thought->is_bool() && thought->get_bool())
          continue;
        answer.text += string_at(fields, "text");
      }
    }
  }

  if (const std::string withheld = withheld_reason_text(answer.finish_reason); !withheld.empty()) {
    throw provider_error(tool + ": Gemini stopped without a usable answer (finishReason " +
                         answer.finish_reason + "): " + withheld +
                         ". Rephrase the question or send other images.");
  }
  if (answer.finish_reason == "MAX_TOKENS" && answer.text.empty()) {
    throw provider_error(tool +
                         ": Gemini used up max_output_tokens before writing any answer (finishReason "
                         "MAX_TOKENS; thinking counts against the limit). Raise max_output_tokens" +
                         (request.max_output_tokens
                              ? " (it was " + std::to_string(*request.max_output_tokens) + ")"
                              : std::string()) +
                         " or leave it unset.");
  }
  if (answer.text.empty() && answer.finish_reason != "STOP") {
    throw provider_error(tool + ": Gemini stopped without an answer (finishReason " +
                         (answer.finish_reason.empty() ? std::string("missing") : answer.finish_reason) +
                         "); try again, or rephrase the question.");
  }
  return answer;
}

model_info read_model(const json::object& fields) {
  model_info model;
  model.id = string_at(fields, "name");
  if (model.id.starts_with("models/")) model.id.erase(0, 7);
  model.display_name = string_at(fields, "displayName");
  model.description = string_at(fields, "description");
  model.input_token_limit = integer_at(fields, "inputTokenLimit");
  model.output_token_limit = integer_at(fields, "outputTokenLimit");
  model.can_generate = false;
  if (const auto* methods = fields.if_contains("supportedGenerationMethods");
      methods != nullptr && methods->is_array()) {
    for (const auto& method : methods->get_array()) {
      if (!method.is_string()) continue;
      model.supported_actions.emplace_back(method.get_string());
      if (method.get_string() == "generateContent") model.can_generate = true;
    }
  }
  return model;
}

// Processing a few minutes of screen recording takes Gemini seconds; a file still not ACTIVE after this long
// is reported rather than waited for.
constexpr std::chrono::minutes max_processing{5};
constexpr std::chrono::milliseconds first_status_poll{500};
constexpr std::chrono::milliseconds longest_status_poll{5000};

// Gemini pages hold up to 1000 models; a server that keeps handing out page tokens is cut off here.
constexpr int max_model_pages = 50;

}  // namespace

gemini_client::gemini_client(const provider_settings& settings)
    : http_provider(settings, settings.api_base_url, "plugin_config.gemini.api_base_url",
                    {{"x-goog-api-key", settings.api_key}}, settings.api_key) {}

sdk::http::call_hooks gemini_client::with_retry_advice(const sdk::http::call_hooks& hooks) const {
  sdk::http::call_hooks result = hooks;
  result.advise_retry = gemini_retry_advice;
  return result;
}

std::string gemini_client::request_body(const vision_request& request) const {
  json::array parts;
  if (request.video) {
    json::object part{{"fileData", json::object{{"mimeType", request.video->mime_type},
                                                {"fileUri", request.video->file_uri}}}};
    if (request.video->fps) part["videoMetadata"] = json::object{{"fps", *request.video->fps}};
    parts.emplace_back(std::move(part));
  }
  for (const auto& image : request.images) {
    if (!image.label.empty()) parts.emplace_back(text_part(image.label));
    parts.emplace_back(
        json::object{{"inlineData", json::object{{"mimeType", image.mime_type}, {"data", image.base64}}}});
  }
  parts.emplace_back(text_part(request.question));

  json::object body;
  body["contents"] = json::array{json::object{{"role", "user"}, {"parts", std::move(parts)}}};
  if (!request.system_instruction.empty()) {
    body["systemInstruction"] = json::object{{"parts", json::array{text_part(request.system_instruction)}}};
  }
  json::object generation;
  if (request.temperature) generation["temperature"] = *request.temperature;
  if (request.max_output_tokens) generation["maxOutputTokens"] = *request.max_output_tokens;
  if (request.response_schema) {
    generation["responseMimeType"] = "application/json";
    generation["responseJsonSchema"] = *request.response_schema;
  }
  if (!generation.empty()) body["generationConfig"] = std::move(generation);
  return json::serialize(body);
}

vision_answer gemini_client::generate(const vision_request& request, std::string body, std::string_view tool,
                                      const sdk::http::call_hooks& hooks) const {
  sdk::http::request http_request;
  http_request.method = "POST";
  http_request.target =
      sdk::http::path("/v1beta/models").segment(request.model).literal(":generateContent").str();
  http_request.body = std::move(body);
  http_request.content_type = "application/json";

  const failure_context context = generate_context(tool, request);
  const auto outcome = client_->send(http_request, with_retry_advice(hooks));
  // Gemini answers 404 NOT_FOUND for a model it does not offer (any more): "models/<id> is not found for
  // API version v1beta, or is not supported for generateContent."
  if (outcome.reply && outcome.reply->status == 404) {
    auto [code, said] = describe_gemini_answer(context, *outcome.reply);
    throw unknown_model_error(describe_gemini_failure(context, outcome), request.model, std::move(code),
                              std::move(said));
  }
  const auto response = json_object_of(
      outcome, context, describe_gemini_failure,
      {"Gemini", "", " Check that plugin_config.gemini.api_base_url points at the Gemini API."});
  return read_answer(request, response, context.tool);
}

std::vector<model_info> gemini_client::list_models(std::string_view tool,
                                                   const sdk::http::call_hooks& hooks) const {
  const failure_context context{std::string(tool), {}, provider_operation::list_models, timeout_, &secrets_};
  std::vector<model_info> models;
  std::string page_token;
  for (int page = 0; page < max_model_pages; ++page) {
    sdk::http::query query{{"pageSize", "1000"}};
    if (!page_token.empty()) query.add("pageToken", page_token);
    sdk::http::request http_request;
    http_request.target = sdk::http::target(sdk::http::path("/v1beta/models"), query);
    const auto response =
        send_for_json_object(*client_, http_request, with_retry_advice(hooks), context,
                             describe_gemini_failure, {"Gemini", " the models listing", ""});
    if (const auto* list = response.if_contains("models"); list != nullptr && list->is_array()) {
      for (const auto& item : list->get_array()) {
        if (item.is_object()) models.push_back(read_model(item.get_object()));
      }
    }
    page_token = string_at(response, "nextPageToken");
    if (page_token.empty()) break;
  }
  return models;
}

json::object gemini_client::upload_video(const prepared_video& video, const failure_context& context,
                                         const sdk::http::call_hooks& hooks) const {
  // 1. Start a resumable upload session; the answer's X-Goog-Upload-URL is where the bytes go.
  sdk::http::request start;
  start.method = "POST";
  start.target = "/upload/v1beta/files";
  start.headers = {{"X-Goog-Upload-Protocol", "resumable"},
                   {"X-Goog-Upload-Command", "start"},
                   {"X-Goog-Upload-Header-Content-Length", std::to_string(video.bytes.size())},
                   {"X-Goog-Upload-Header-Content-Type", video.mime_type}};
  start.body = R"({"file":{"display_name":"mcpd video"}})";
  start.content_type = "application/json";
  const auto session = client_->send(start, with_retry_advice(hooks));
  if (!session.ok()) throw provider_error(describe_gemini_failure(context, session));
  const std::string upload_url(session.reply->header("X-Goog-Upload-URL"));
  std::string why;
  const auto upload_base = sdk::http::parse_base_url(upload_url.substr(0, upload_url.find('?')), &why);
  if (!upload_base) {
    throw provider_error(context.tool + ": Gemini's Files API answered the upload request without a usable " +
                         "X-Goog-Upload-URL (" + why + "). Check " + "plugin_config.gemini.api_base_url.");
  }

  // 2. Send the bytes and finalize. The session URL authorizes the upload by itself, so the key stays home;
  // it is not repeated after a network error (the server may have the bytes already).
  auto options = without_credentials_;
  options.secrets.add(upload_url.substr(
      upload_url.find('?') == std::string::npos ? upload_url.size() : upload_url.find('?') + 1));
  const sdk::http::client uploader(upload_base->origin, std::move(options));
  sdk::http::request upload;
  upload.method = "POST";
  upload.target = upload_url.substr(upload_base->origin.size());
  if (upload.target.empty()) upload.target = "/";
  upload.headers = {{"X-Goog-Upload-Offset", "0"}, {"X-Goog-Upload-Command", "upload, finalize"}};
  upload.body = video.bytes;
  upload.content_type = video.mime_type;
  upload.retry_network_errors = false;
  const auto finished = uploader.send(upload, with_retry_advice(hooks));
  if (!finished.ok()) throw provider_error(describe_gemini_failure(context, finished));
  auto answer = parse_object_body(finished.reply->body);
  const json::object* file = answer ? object_at(*answer, "file") : nullptr;
  if (file == nullptr || string_at(*file, "name").empty()) {
    throw provider_error(context.tool + ": Gemini's Files API answered the upload without a file name (\"" +
                         body_excerpt(finished.reply->body, context.secrets) + "\").");
  }
  return *file;
}

std::string gemini_client::await_active(const json::object& uploaded, const failure_context& context,
                                        const sdk::http::call_hooks& hooks,
                                        const std::function<void(const std::string&)>& step) const {
  json::object file = uploaded;
  const std::string name = string_at(file, "name");
  const auto started = std::chrono::steady_clock::now();
  auto interval = first_status_poll;
  for (int check = 1;; ++check) {
    const std::string state = string_at(file, "state");
    if (state == "ACTIVE" || (state.empty() && !string_at(file, "uri").empty())) break;
    if (state == "FAILED") {
      std::string reason;
      if (const auto* error = object_at(file, "error")) reason = string_at(*error, "message");
      throw provider_error(context.tool + ": Gemini could not process the video (file state FAILED" +
                           (reason.empty() ? std::string(")") : "): " + reason) +
                           ". Check that it is a playable MP4 or WebM.");
    }
    const auto waited = std::chrono::steady_clock::now() - started;
    if (waited + interval > max_processing) {
      throw provider_error(context.tool + ": Gemini was still processing the video after " +
                           std::to_string(std::chrono::duration_cast<std::chrono::seconds>(waited).count()) +
                           " s (state " + (state.empty() ? std::string("unknown") : state) +
                           "); try again later, or send a shorter video.");
    }
    // A task's status message follows these while Gemini works on the file.
    step("waiting for Gemini to process the video (state " +
         (state.empty() ? std::string("unknown") : state) + ", check " + std::to_string(check) + ", " +
         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(waited).count()) + " s)");
    // Wakes within 50 ms of a cancellation (tasks/cancel included): no further status request goes out.
    if (!sdk::http::sleep_unless_cancelled(interval, hooks))
      throw provider_error(context.tool + ": cancelled");
    interval = std::min(longest_status_poll, interval * 2);
    sdk::http::request status;
    status.target = "/v1beta/" + name;  // "files/<id>", an id Gemini chose: [a-z0-9-]
    file = send_for_json_object(*client_, status, with_retry_advice(hooks), context, describe_gemini_failure,
                                {"Gemini", " the file status", ""});
  }
  std::string uri = string_at(file, "uri");
  if (uri.empty()) throw provider_error(context.tool + ": Gemini's Files API gave the video no uri.");
  return uri;
}

void gemini_client::delete_file(const std::string& name, const sdk::http::call_hooks& hooks) const {
  sdk::http::request remove;
  remove.method = "DELETE";
  remove.target = "/v1beta/" + name;
  sdk::http::call_hooks quick;  // also after a cancellation: the upload must not outlive the call
  quick.on_retry = hooks.on_retry;
  try {
    static_cast<void>(client_->send(remove, quick));
  } catch (...) {
    // Best effort from a destructor; Gemini deletes the file itself after 48 hours.
  }
}

vision_answer gemini_client::ask_about_video(vision_request request, std::string_view tool,
                                             const sdk::http::call_hooks& hooks,
                                             const std::function<void(const std::string&)>& step) const {
  const failure_context files{std::string(tool), request.model, provider_operation::files, timeout_,
                              &secrets_};
  step("uploading the video (" + std::to_string(request.video->bytes.size()) + " bytes) to Gemini");
  const json::object file = upload_video(*request.video, files, hooks);
  const std::string name = string_at(file, "name");
  if (!name.starts_with("files/") || name.find_first_of("/?#", 6) != std::string::npos) {
    throw provider_error(std::string(tool) + ": Gemini's Files API named the upload \"" + name.substr(0, 80) +
                         "\", not files/<id>.");
  }
  // Deleted whatever happens next: the video shows a user's screen and Gemini would keep it for 48 hours.
  struct remover {
    const gemini_client& client;
    const std::string& name;
    const sdk::http::call_hooks& hooks;
    ~remover() { client.delete_file(name, hooks); }
  } cleanup{*this, name, hooks};
  std::string().swap(request.video->bytes);  // uploaded; the memory is not needed any more
  request.video->file_uri = await_active(file, files, hooks, step);
  step("asking " + request.model + " about the video");
  return generate(request, request_body(request), tool, hooks);
}

}  // namespace mcpd::gemini
