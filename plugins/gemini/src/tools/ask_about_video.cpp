#include <string>

#include "../base64.hpp"
#include "../provider_error.hpp"
#include "../providers/json_fields.hpp"
#include "tool_handlers.hpp"
#include "unknown_model.hpp"

namespace mcpd::gemini {
namespace {

namespace json = boost::json;

}  // namespace

sdk::tool_result ask_about_video(const tool_environment& environment, sdk::call_context& ctx,
                                 const json::object& arguments) {
  const std::string tool = environment.published("ask_about_video");
  const auto& provider = environment.provider;

  vision_request request = request_from(arguments);

  const auto* video = arguments.if_contains("video");
  if (video == nullptr || !video->is_object()) return sdk::tool_result::error(tool + ": video is required");
  prepared_video prepared;
  prepared.mime_type = string_at(video->get_object(), "mimeType");
  std::string why;
  const auto bytes = base64_decode(string_at(video->get_object(), "data"), &why);
  if (!bytes) return sdk::tool_result::error(tool + ": video.data is not base64: " + why);
  const auto limit = environment.settings.limits.max_request_bytes;
  if (static_cast<std::int64_t>(bytes->size()) > limit) {
    return sdk::tool_result::error(tool + ": the video is " + std::to_string(bytes->size()) +
                                   " bytes, over plugin_config.gemini.max_request_bytes (" +
                                   std::to_string(limit) +
                                   "); nothing was sent. Send a shorter or smaller video.");
  }
  prepared.bytes.assign(bytes->begin(), bytes->end());
  if (const auto* fps = arguments.if_contains("fps"); fps != nullptr && fps->is_number())
    prepared.fps = fps->to_number<double>();
  request.video = std::move(prepared);
  if (ctx.cancelled()) return sdk::tool_result::error(tool + ": cancelled");
  // The video is good: the upload, Gemini's processing and the answer run as a task when the client can
  // take one (its status message follows the steps below).
  ctx.continue_as_task();

  call_progress progress(ctx);
  const auto hooks = call_hooks_for(environment, ctx, tool, progress);
  const auto step = [&](const std::string& message) { progress.step(message); };
  model_choice model;
  vision_answer answer;
  try {
    // Before the upload, so a call without a usable model uploads nothing.
    model = model_for_call(environment, arguments, tool, hooks);
    request.model = model.model;
    answer = provider.ask_about_video(std::move(request), tool, hooks, step);
  } catch (const unknown_model_error& e) {
    return sdk::tool_result::error(explain_unknown_model(environment, e, model.origin, tool, hooks));
  } catch (const provider_error& e) {
    return sdk::tool_result::error(ctx.cancelled() ? tool + ": cancelled" : std::string(e.what()));
  }
  json::object result{{"answer", answer.text},
                      {"finish_reason", answer.finish_reason},
                      {"model", answer.model},
                      {"provider", provider.name()}};
  if (auto usage = usage_json(answer.usage); !usage.empty()) result["usage"] = std::move(usage);
  return sdk::tool_result::structured_with_text(std::move(result));
}

}  // namespace mcpd::gemini
