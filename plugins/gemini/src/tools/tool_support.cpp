// What the gemini tool handlers share: progress that never fails a call, the HTTP hooks of a call, the
// request settings both ask tools read, the model a call uses, and the usage they report.
#include <string>

#include <mcpd/sdk/http/context_hooks.hpp>

#include "../providers/json_fields.hpp"
#include "tool_handlers.hpp"

namespace mcpd::gemini {

void call_progress::step(const std::string& message) {
  std::lock_guard lock(mutex_);
  try {
    ctx_.progress(next_, std::nullopt, message);
  } catch (const sdk::error&) {
    // Progress is a courtesy; a host that cannot deliver it must not fail the call.
  }
  next_ += 1;
}

sdk::http::call_hooks call_hooks_for(const tool_environment& environment, sdk::call_context& ctx,
                                     std::string_view tool, call_progress& progress) {
  sdk::http::call_hooks hooks = sdk::http::hooks_for(ctx);
  // A retry can wait up to a minute (a per-minute quota's retryDelay): tell the client why nothing
  // happens.
  hooks.on_retry = [&progress, host = environment.host, name = std::string(tool)](std::string_view line) {
    host.log(sdk::log_level::info, name + ": " + std::string(line));
    progress.step("waiting to retry: " + std::string(line));
  };
  return hooks;
}

boost::json::object usage_json(const token_usage& usage) {
  boost::json::object out;
  if (usage.prompt_tokens) out["prompt_tokens"] = *usage.prompt_tokens;
  if (usage.output_tokens) out["output_tokens"] = *usage.output_tokens;
  if (usage.thoughts_tokens) out["thoughts_tokens"] = *usage.thoughts_tokens;
  if (usage.total_tokens) out["total_tokens"] = *usage.total_tokens;
  return out;
}

vision_request request_from(const boost::json::object& arguments) {
  vision_request request;
  request.question = string_at(arguments, "question");
  request.system_instruction = string_at(arguments, "system_instruction");
  // Sampling settings are sent only when the caller gives them: newer models refuse them outright.
  if (const auto* value = arguments.if_contains("temperature"); value != nullptr && value->is_number())
    request.temperature = value->to_number<double>();
  if (const auto* value = arguments.if_contains("max_output_tokens"); value != nullptr && value->is_number())
    request.max_output_tokens = value->to_number<std::int64_t>();
  return request;
}

model_choice model_for_call(const tool_environment& environment, const boost::json::object& arguments,
                            std::string_view tool, const sdk::http::call_hooks& hooks) {
  if (std::string model = string_at(arguments, "model"); !model.empty())
    return {std::move(model), model_origin::argument};
  return environment.models.default_model(tool, hooks);
}

}  // namespace mcpd::gemini
