// The handlers of the gemini tools. Each gets the plugin's settings, provider and model catalog, the call
// context (progress, cancellation) and the arguments the host already checked against the tool's
// inputSchema.
#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include <boost/json.hpp>
#include <mcpd/sdk.hpp>
#include <mcpd/sdk/http/client.hpp>

#include "../model_catalog.hpp"
#include "../provider_settings.hpp"
#include "../vision_provider.hpp"

namespace mcpd::gemini {

struct tool_environment {
  const provider_settings& settings;
  const vision_provider& provider;
  model_catalog& models;  // the model of calls that name none
  sdk::host host;         // for the operator log and the names clients call tools by

  // A gemini tool as the client sees it, e.g. "gemini_ask_about_images" under the default separator.
  std::string published(std::string_view local_name) const {
    return host.published_name("gemini", local_name);
  }
};

// The progress notifications of one call, numbered in the order they happen: a handler's own steps and
// the retry waits of its requests interleave, and the values still only grow. Never fails the call.
class call_progress {
 public:
  explicit call_progress(sdk::call_context& ctx) : ctx_(ctx) {}
  void step(const std::string& message);

 private:
  sdk::call_context& ctx_;
  std::mutex mutex_;
  double next_ = 0;
};

// Cancellation from the call, retry notices to the operator log and, as progress, to the client.
sdk::http::call_hooks call_hooks_for(const tool_environment& environment, sdk::call_context& ctx,
                                     std::string_view tool, call_progress& progress);

// The question and the settings both ask tools take (question, system_instruction, temperature,
// max_output_tokens); the caller adds the model (model_for_call) and the images or the video.
vision_request request_from(const boost::json::object& arguments);

// The model of a call: its "model" argument, else the configured model, else the automatic choice
// (which may list the models first). Throws provider_error when there is none.
model_choice model_for_call(const tool_environment& environment, const boost::json::object& arguments,
                            std::string_view tool, const sdk::http::call_hooks& hooks);

// The answer's token counts as the tools report them ("usage"); only those the provider gave.
boost::json::object usage_json(const token_usage& usage);

sdk::tool_result ask_about_images(const tool_environment& environment, sdk::call_context& ctx,
                                  const boost::json::object& arguments);
sdk::tool_result ask_about_video(const tool_environment& environment, sdk::call_context& ctx,
                                 const boost::json::object& arguments);
sdk::tool_result models_list(const tool_environment& environment, sdk::call_context& ctx,
                             const boost::json::object& arguments);

}  // namespace mcpd::gemini
