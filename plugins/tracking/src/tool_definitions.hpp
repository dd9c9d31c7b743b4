// The published definitions of every tracking tool: title, description, input and output schemas,
// annotations. Pure data, kept apart from the handlers so that implementing a tool never changes what
// agents see, and reviewing what agents see never means reading handler code.
//
// Every input schema gets the optional `instance` argument (see with_instance_argument); descriptions
// name the PostHog endpoint, the settings and key scopes needed, and the limits that apply.
#pragma once

#include <mcpd/sdk.hpp>

namespace mcpd::tracking {
struct query_limits;
}

namespace mcpd::tracking::tool_definitions {

sdk::tool_spec capture();
sdk::tool_spec identify();
sdk::tool_spec pageview();
sdk::tool_spec capture_batch();
sdk::tool_spec sessions_list();
sdk::tool_spec recordings_list();
sdk::tool_spec recording_frames();
sdk::tool_spec ask_question_about_recording();
sdk::tool_spec funnels_run();
sdk::tool_spec feature_flags_list();
sdk::tool_spec feature_flag_eval();
sdk::tool_spec query(const query_limits& limits);  // its row cap and time limit come from the config

}  // namespace mcpd::tracking::tool_definitions
