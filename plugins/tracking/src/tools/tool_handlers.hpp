// The handlers of the tracking tools that talk to PostHog. Each takes the instance registry, the call and
// its arguments, and returns the result (structuredContent plus its JSON text) or throws with the message
// the caller sees as isError.
#pragma once

#include <mcpd/sdk.hpp>

#include "../posthog/instance_registry.hpp"
#include "../recording_settings.hpp"
#include "../video_cache.hpp"

namespace mcpd::tracking::tools {

sdk::tool_result capture(const instance_registry&, sdk::call_context&, const boost::json::object& arguments);
sdk::tool_result identify(const instance_registry&, sdk::call_context&, const boost::json::object& arguments);
sdk::tool_result pageview(const instance_registry&, sdk::call_context&, const boost::json::object& arguments);
sdk::tool_result capture_batch(const instance_registry&, sdk::call_context&,
                               const boost::json::object& arguments);
sdk::tool_result sessions_list(const instance_registry&, sdk::call_context&,
                               const boost::json::object& arguments);
sdk::tool_result recordings_list(const instance_registry&, sdk::call_context&,
                                 const boost::json::object& arguments);
sdk::tool_result funnels_run(const instance_registry&, sdk::call_context&,
                             const boost::json::object& arguments);
sdk::tool_result feature_flags_list(const instance_registry&, sdk::call_context&,
                                    const boost::json::object& arguments);
sdk::tool_result feature_flag_eval(const instance_registry&, sdk::call_context&,
                                   const boost::json::object& arguments);
sdk::tool_result query(const instance_registry&, sdk::call_context&, const boost::json::object& arguments);
// Needs the recording settings too (local video directories, redaction rules, caps) and the video cache.
sdk::tool_result recording_frames(const recording_settings&, video_cache&, const instance_registry&,
                                  sdk::call_context&, const boost::json::object& arguments);
// The same, then gemini.ask_about_images through the host (call_context::call_tool).
sdk::tool_result ask_question_about_recording(const recording_settings&, video_cache&,
                                              const instance_registry&, sdk::call_context&,
                                              const boost::json::object& arguments);

}  // namespace mcpd::tracking::tools
