// What a video file is: what the caller sees as structuredContent.source.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mcpd::tracking::video {

struct video_source_info {
  // From the first frame to the end of the last one. Absent for files that do not say (MediaRecorder WebM).
  std::optional<std::int64_t> duration_ms;
  // The video track's own length when the container states it (MP4), else duration_ms: a file whose frames
  // end well before it is truncated. (duration_ms may run longer, to the end of a longer audio track.)
  std::optional<std::int64_t> track_duration_ms;

  // The length a truncated file falls short of: the track's own when stated, else duration_ms.
  std::optional<std::int64_t> claimed_length_ms() const {
    return track_duration_ms ? track_duration_ms : duration_ms;
  }
  std::string codec;          // libavcodec's name: "h264", "vp9", ...
  std::optional<double> fps;  // average frame rate, when the container knows it
  int width = 0;              // coded size of the stream; frames may differ
  int height = 0;
  // How a player shows it: clockwise rotation from the display matrix (0, 90, 180 or 270) and the
  // sample (pixel) aspect ratio, 1 for square pixels.
  int rotation = 0;
  double sample_aspect_ratio = 1;
  // Chroma planes at half resolution (4:2:0, 4:2:2): colour bleeds a pixel or two past sharp edges.
  bool chroma_subsampled = false;
};

}  // namespace mcpd::tracking::video
