// The handlers of the gemini tools. Each gets the plugin's settings and provider, the call context
// (progress, cancellation) and the arguments the host already checked against the tool's inputSchema.
#pragma once

#include <boost/json.hpp>
#include <mcpd/sdk.hpp>
#include <mcpd/sdk/http/client.hpp>

#include "../provider_settings.hpp"
#include "../vision_provider.hpp"

namespace mcpd::gemini {

struct tool_environment {
  const provider_settings& settings;
  const vision_provider& provider;
  sdk::host host;  // for the operator log
};

// Cancellation from the call, retry notices to the operator log and, as progress, to the client.
sdk::http::call_hooks call_hooks_for(const tool_environment& environment, sdk::call_context& ctx,
                                     std::string_view tool);

// notifications/progress when the client asked for it; never fails the call. `value` must grow.
void report_progress(sdk::call_context& ctx, double value, const std::string& message);

// The question and the model settings both ask tools take (question, system_instruction, model or the
// provider's default, temperature, max_output_tokens); the caller adds the images or the video.
vision_request request_from(const boost::json::object& arguments, const vision_provider& provider);

// The answer's token counts as the tools report them ("usage"); only those the provider gave.
boost::json::object usage_json(const token_usage& usage);

sdk::tool_result ask_about_images(const tool_environment& environment, sdk::call_context& ctx,
                                  const boost::json::object& arguments);
sdk::tool_result ask_about_video(const tool_environment& environment, sdk::call_context& ctx,
                                 const boost::json::object& arguments);
sdk::tool_result models_list(const tool_environment& environment, sdk::call_context& ctx,
                             const boost::json::object& arguments);

}  // namespace mcpd::gemini
