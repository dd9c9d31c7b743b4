// What the gemini tool handlers share: progress that never fails a call, the HTTP hooks of a call, the
// request settings both ask tools read, and the usage they report.
#include <memory>
#include <string>

#include <mcpd/sdk/http/context_hooks.hpp>

#include "../providers/json_fields.hpp"
#include "tool_handlers.hpp"

namespace mcpd::gemini {

void report_progress(sdk::call_context& ctx, double value, const std::string& message) {
  try {
    ctx.progress(value, std::nullopt, message);
  } catch (const sdk::error&) {
    // Progress is a courtesy; a host that cannot deliver it must not fail the call.
  }
}

sdk::http::call_hooks call_hooks_for(const tool_environment& environment, sdk::call_context& ctx,
                                     std::string_view tool) {
  sdk::http::call_hooks hooks = sdk::http::hooks_for(ctx);
  // A retry can wait up to a minute (a per-minute quota's retryDelay): tell the client why nothing
  // happens. Progress continues after the handler's own steps (0: preparing, 1: sent), so it only grows.
  auto retries = std::make_shared<int>(0);
  hooks.on_retry = [&ctx, host = environment.host, name = std::string(tool), retries](std::string_view line) {
    host.log(sdk::log_level::info, name + ": " + std::string(line));
    ++*retries;
    report_progress(ctx, 1.0 + *retries, "waiting to retry: " + std::string(line));
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

vision_request request_from(const boost::json::object& arguments, const vision_provider& provider) {
  vision_request request;
  request.question = string_at(arguments, "question");
  request.system_instruction = string_at(arguments, "system_instruction");
  request.model = string_at(arguments, "model");
  if (request.model.empty()) request.model = provider.default_model();
  if (const auto* value = arguments.if_contains("temperature"); value != nullptr && value->is_number())
    request.temperature = value->to_number<double>();
  if (const auto* value = arguments.if_contains("max_output_tokens"); value != nullptr && value->is_number())
    request.max_output_tokens = value->to_number<std::int64_t>();
  return request;
}

}  // namespace mcpd::gemini
