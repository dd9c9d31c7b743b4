// What a video file is: what the caller sees as structuredContent.source.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mcpd::tracking::video {

struct video_source_info {
  std::optional<std::int64_t> duration_ms;  // absent for files that do not say (MediaRecorder WebM)
  std::string codec;                        // libavcodec's name: "h264", "vp9", ...
  std::optional<double> fps;                // average frame rate, when the container knows it
  int width = 0;                            // coded size of the stream; frames may differ
  int height = 0;
};

}  // namespace mcpd::tracking::video
