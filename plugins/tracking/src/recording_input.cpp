#include "recording_input.hpp"

#include "util/tool_names.hpp"

namespace mcpd::tracking {
namespace {

bool is_present(const boost::json::object& arguments, std::string_view key) {
  const auto* value = arguments.if_contains(key);
  return value != nullptr && !value->is_null();
}

}  // namespace

recording_input_choice choose_recording_input(std::string_view tool, const boost::json::object& arguments,
                                              bool local_video_dirs_configured) {
  const bool has_recording = is_present(arguments, "recording_id");
  const bool has_source = is_present(arguments, "source");
  const std::string name(tool);
  if (has_recording && has_source) {
    return {recording_input::posthog_recording, name +
                                                    ": pass either \"recording_id\" (a PostHog recording) or "
                                                    "\"source\" (a local video file), not both"};
  }
  if (!has_recording && !has_source) {
    return {recording_input::posthog_recording,
            name + ": pass \"recording_id\" (a PostHog session recording id, see " +
                std::string(published_tool_name("recordings_list")) +
                ") or \"source\": {\"file\": \"/path/to/video.mp4\"}"};
  }
  if (has_recording) return {recording_input::posthog_recording, {}};
  if (!local_video_dirs_configured) {
    return {recording_input::local_file,
            name +
                " cannot read local video files: none are allowed. An operator enables this by listing "
                "directories in plugin_config.tracking.local_video_dirs (or the colon-separated "
                "TRACKING_LOCAL_VIDEO_DIRS environment variable)."};
  }
  return {recording_input::local_file, {}};
}

}  // namespace mcpd::tracking
