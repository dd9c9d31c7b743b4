#include "video_error.hpp"

extern "C" {
#include <libavutil/error.h>
}

namespace mcpd::tracking::video {

std::string av_error_text(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  if (av_strerror(code, text, sizeof text) < 0) return "libav error " + std::to_string(code);
  return text;
}

}  // namespace mcpd::tracking::video
