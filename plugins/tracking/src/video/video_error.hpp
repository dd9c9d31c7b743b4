// The one exception type of the video pipeline: a message the caller can show as isError as is.
#pragma once

#include <stdexcept>
#include <string>

namespace mcpd::tracking::video {

// The video cannot be opened or decoded (not a video, truncated, unsupported codec, ...).
class video_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The caller cancelled while frames were being decoded.
class video_cancelled : public std::runtime_error {
 public:
  video_cancelled() : std::runtime_error("cancelled") {}
};

// libav's text for an AVERROR code, e.g. "Invalid data found when processing input".
std::string av_error_text(int code);

}  // namespace mcpd::tracking::video
