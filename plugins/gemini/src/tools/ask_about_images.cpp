#include <string>

#include "../image_input.hpp"
#include "../provider_error.hpp"
#include "../providers/json_fields.hpp"
#include "../structured_answer.hpp"
#include "tool_handlers.hpp"
#include "unknown_model.hpp"

namespace mcpd::gemini {
namespace {

namespace json = boost::json;

std::string megabytes(std::int64_t bytes) {
  const auto tenths = (bytes * 10 + 524288) / 1048576;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MB";
}

}  // namespace

sdk::tool_result ask_about_images(const tool_environment& environment, sdk::call_context& ctx,
                                  const json::object& arguments) {
  const std::string tool = environment.published("ask_about_images");
  const auto& limits = environment.settings.limits;
  const auto& provider = environment.provider;

  vision_request request = request_from(arguments);

  std::optional<answer_schema> schema;
  if (const auto* value = arguments.if_contains("response_schema"); value != nullptr && value->is_object()) {
    try {
      schema = answer_schema::compile(value->get_object());
    } catch (const std::invalid_argument& e) {
      return sdk::tool_result::error(tool + ": response_schema is not a usable JSON Schema: " + e.what() +
                                     ". Nothing was sent.");
    }
    request.response_schema = value->get_object();
  }

  const auto* images = arguments.if_contains("images");
  if (images == nullptr || !images->is_array() || images->get_array().empty()) {
    return sdk::tool_result::error(tool + ": images must list at least one image");
  }
  call_progress progress(ctx);
  const auto hooks = call_hooks_for(environment, ctx, tool, progress);
  progress.step("preparing " + std::to_string(images->get_array().size()) + " images");
  try {
    auto prepared = prepare_images(images->get_array(), limits.max_image_long_edge);
    request.images = std::move(prepared.images);
    if (prepared.downscaled > 0) {
      environment.host.log(sdk::log_level::debug, tool + ": downscaled " +
                                                      std::to_string(prepared.downscaled) +
                                                      " images to a long edge of " +
                                                      std::to_string(limits.max_image_long_edge) + " px");
    }
  } catch (const image_input_error& e) {
    return sdk::tool_result::error(tool + ": " + e.what());
  }
  if (ctx.cancelled()) return sdk::tool_result::error(tool + ": cancelled");

  // After the images are checked, so bad input is reported without a models listing.
  model_choice model;
  try {
    model = model_for_call(environment, arguments, tool, hooks);
  } catch (const provider_error& e) {
    return sdk::tool_result::error(e.what());
  }
  request.model = model.model;

  std::string body = provider.request_body(request);
  // The body holds its own copy of every image; up to max_request_bytes each, keep only one.
  for (auto& image : request.images) std::string().swap(image.base64);
  const auto size = static_cast<std::int64_t>(body.size());
  if (size > limits.max_request_bytes) {
    return sdk::tool_result::error(
        tool + ": the request would be " + megabytes(size) + " (" + std::to_string(size) +
        " bytes), over plugin_config.gemini.max_request_bytes (" + std::to_string(limits.max_request_bytes) +
        " bytes); nothing was sent. Send fewer images, or lower plugin_config.gemini.max_image_long_edge "
        "(now " +
        std::to_string(limits.max_image_long_edge) + ") so images are downscaled more.");
  }

  progress.step("asking " + request.model + " about " + std::to_string(request.images.size()) + " images");
  vision_answer answer;
  try {
    answer = provider.generate(request, std::move(body), tool, hooks);
  } catch (const unknown_model_error& e) {
    return sdk::tool_result::error(explain_unknown_model(environment, e, model.origin, tool, hooks));
  } catch (const provider_error& e) {
    return sdk::tool_result::error(e.what());
  }

  json::object result{{"answer", answer.text},
                      {"finish_reason", answer.finish_reason},
                      {"model", answer.model},
                      {"provider", provider.name()}};
  if (schema) {
    try {
      result["answer_json"] = schema->check(answer.text, tool, answer.finish_reason);
    } catch (const std::runtime_error& e) {
      return sdk::tool_result::error(e.what());
    }
  }
  if (auto usage = usage_json(answer.usage); !usage.empty()) result["usage"] = std::move(usage);
  return sdk::tool_result::structured_with_text(std::move(result));
}

}  // namespace mcpd::gemini
