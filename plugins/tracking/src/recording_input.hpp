// Which video a recording tool (recording_frames, ask_question_about_recording) was asked to read.
//
// A call names either a PostHog recording (`recording_id`, rendered through the exports API) or a local
// file (`source: {"file": ...}`), which is allowed only when the operator listed directories in
// plugin_config.tracking.local_video_dirs (or TRACKING_LOCAL_VIDEO_DIRS).
#pragma once

#include <string>
#include <string_view>

#include <boost/json.hpp>

namespace mcpd::tracking {

enum class recording_input { posthog_recording, local_file };

struct recording_input_choice {
  recording_input input = recording_input::posthog_recording;
  std::string problem;  // non-empty: the isError text (neither/both given, local files not enabled)
};

recording_input_choice choose_recording_input(std::string_view tool, const boost::json::object& arguments,
                                              bool local_video_dirs_configured);

}  // namespace mcpd::tracking
