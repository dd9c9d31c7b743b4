#include "openai_client.hpp"

#include <boost/json.hpp>

#include "../error_mapping.hpp"
#include "../provider_error.hpp"
#include "json_exchange.hpp"
#include "json_fields.hpp"

namespace mcpd::gemini {
namespace {

namespace json = boost::json;

json::object text_item(std::string_view text) {
  return json::object{{"type", "text"}, {"text", text}};
}

// choices[0].message.content is a string on most servers, an array of {type:"text", text} parts on some,
// and null when nothing was generated.
std::string content_text(const json::object& message) {
  const auto* content = message.if_contains("content");
  if (content == nullptr) return {};
  if (content->is_string()) return std::string(content->get_string());
  std::string text;
  if (content->is_array()) {
    for (const auto& part : content->get_array()) {
      if (part.is_object() && string_at(part.get_object(), "type") == "text")
        text += string_at(part.get_object(), "text");
    }
  }
  return text;
}

vision_answer read_answer(const vision_request& request, const json::object& response,
                          const std::string& tool) {
  vision_answer answer;
  answer.model = string_at(response, "model");
  if (answer.model.empty()) answer.model = request.model;
  if (const auto* usage = object_at(response, "usage")) {
    answer.usage.prompt_tokens = integer_at(*usage, "prompt_tokens");
    answer.usage.output_tokens = integer_at(*usage, "completion_tokens");
    answer.usage.total_tokens = integer_at(*usage, "total_tokens");
    if (const auto* details = object_at(*usage, "completion_tokens_details"))
      answer.usage.thoughts_tokens = integer_at(*details, "reasoning_tokens");
  }
  const auto* choices = response.if_contains("choices");
  if (choices == nullptr || !choices->is_array() || choices->get_array().empty() ||
      !choices->get_array().front().is_object()) {
    throw provider_error(tool + ": the model server returned no choices; try again.");
  }
  const auto& choice = choices->get_array().front().get_object();
  answer.finish_reason = string_at(choice, "finish_reason");
  if (const auto* message = object_at(choice, "message")) {
    answer.text = content_text(*message);
    if (answer.text.empty()) {
      if (auto refusal = string_at(*message, "refusal"); !refusal.empty()) {
        throw provider_error(tool + ": the model refused to answer: \"" + refusal + "\"");
      }
    }
  }
  if (answer.finish_reason == "content_filter") {
    throw provider_error(tool +
                         ": the server's content filter withheld the answer (finish_reason "
                         "content_filter). Rephrase the question or send other images.");
  }
  if (answer.finish_reason == "length" && answer.text.empty()) {
    throw provider_error(tool +
                         ": the model used up max_output_tokens before writing any answer (finish_reason "
                         "length). Raise max_output_tokens or leave it unset.");
  }
  return answer;
}

}  // namespace

openai_client::openai_client(const provider_settings& settings)
    : http_provider(settings, settings.openai_compatible.base_url,
                    "plugin_config.gemini.openai_compatible.base_url",
                    {{"Authorization", "Bearer " + settings.openai_compatible.api_key}},
                    settings.openai_compatible.api_key) {}

std::string openai_client::request_body(const vision_request& request) const {
  json::array content;
  for (const auto& image : request.images) {
    if (!image.label.empty()) content.emplace_back(text_item(image.label));
    content.emplace_back(json::object{
        {"type", "image_url"},
        {"image_url", json::object{{"url", "data:" + image.mime_type + ";base64," + image.base64}}}});
  }
  content.emplace_back(text_item(request.question));

  json::array messages;
  if (!request.system_instruction.empty()) {
    messages.emplace_back(json::object{{"role", "system"}, {"content", request.system_instruction}});
  }
  messages.emplace_back(json::object{{"role", "user"}, {"content", std::move(content)}});

  json::object body{{"model", request.model}, {"messages", std::move(messages)}};
  if (request.temperature) body["temperature"] = *request.temperature;
  if (request.max_output_tokens) body["max_tokens"] = *request.max_output_tokens;
  if (request.response_schema) {
    body["response_format"] =
        json::object{{"type", "json_schema"},
                     {"json_schema", json::object{{"name", "answer"}, {"schema", *request.response_schema}}}};
  }
  return json::serialize(body);
}

vision_answer openai_client::generate(const vision_request& request, std::string body, std::string_view tool,
                                      const sdk::http::call_hooks& hooks) const {
  sdk::http::request http_request;
  http_request.method = "POST";
  http_request.target = "/chat/completions";
  http_request.body = std::move(body);
  http_request.content_type = "application/json";

  const failure_context context = generate_context(tool, request);
  const auto response = send_for_json_object(*client_, http_request, hooks, context, describe_openai_failure,
                                             {"the model server", "",
                                              " Check that plugin_config.gemini.openai_compatible.base_url "
                                              "is the server's API root (usually ending in "
                                              "/v1)."});
  return read_answer(request, response, context.tool);
}

std::vector<model_info> openai_client::list_models(std::string_view tool,
                                                   const sdk::http::call_hooks& hooks) const {
  const failure_context context{std::string(tool), {}, provider_operation::list_models, timeout_, &secrets_};
  sdk::http::request http_request;
  http_request.target = "/models";
  const auto outcome = client_->send(http_request, hooks);
  if (!outcome.ok()) {
    throw provider_error(describe_openai_failure(context, outcome));
  }
  const auto response = parse_object_body(outcome.reply->body);
  const json::value* data = response ? response->if_contains("data") : nullptr;
  if (data == nullptr || !data->is_array()) {
    throw provider_error(context.tool + ": the model server's /models answer has no \"data\" list (\"" +
                         body_excerpt(outcome.reply->body, &secrets_) + "\").");
  }
  std::vector<model_info> models;
  for (const auto& item : data->get_array()) {
    if (!item.is_object()) continue;
    model_info model;
    model.id = string_at(item.get_object(), "id");
    if (model.id.empty()) continue;
    if (auto owner = string_at(item.get_object(), "owned_by"); !owner.empty())
      model.description = "owned by " + owner;
    models.push_back(std::move(model));
  }
  return models;
}

}  // namespace mcpd::gemini
