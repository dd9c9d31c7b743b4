// Operator settings of the recording tools (recording_frames, ask_question_about_recording), read once at
// init from plugin_config.tracking: local video directories, redaction rules, frame and size caps.
//
// Redaction rules guard what leaves the machine, so a bad rule is not skipped silently: it is reported at
// load time and every recording call refuses to run until it is fixed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "frames/redaction.hpp"
#include "posthog/recording_export.hpp"

namespace mcpd::tracking {

struct recording_settings {
  std::vector<std::string> local_video_dirs;      // empty: local files are off
  std::vector<frames::redaction_box> redactions;  // top-level redact_rules
  std::map<std::string, std::vector<frames::redaction_box>, std::less<>> instance_redactions;
  std::size_t max_frames_cap = 300;
  // One answer as the client receives it (JSON, images in base64): 8 MiB keeps it under the 10 MiB line
  // the official TypeScript SDK's stdio transport accepts.
  std::size_t max_response_bytes = 8 * 1024 * 1024;
  std::int64_t max_frame_pixels = std::int64_t{4096} * 4096;
  export_options exports;
  std::string video_cache_dir;                                      // empty: video_cache::default_dir()
  std::uint64_t video_cache_max_bytes = 2ULL * 1024 * 1024 * 1024;  // 0: no cache
  // Bad redaction rules: while non-empty, recording tools answer isError with these.
  std::vector<std::string> redaction_problems;
  // Other bad values (fell back to defaults), for the operator log.
  std::vector<std::string> problems;

  static recording_settings from_config(const boost::json::object& tracking_config);
};

}  // namespace mcpd::tracking
