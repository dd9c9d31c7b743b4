// The video path with random and mutated bytes as a video file: the demuxer, the decoder, the sampler, the
// scaler, redaction and PNG encoding, as tracking.recording_frames drives them. The input is written to a
// private temporary file (libav opens paths) and extracted in both sampling modes with small limits, so one
// input stays cheap. video_error is the expected refusal; crashes, hangs and unbounded memory are not.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "frames/frame_extraction.hpp"
#include "video/video_error.hpp"

using namespace mcpd::tracking;

namespace {

std::string temporary_path() {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/mcpd-fuzz-video-" +
         std::to_string(::getpid()) + ".bin";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = temporary_path();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return 0;
  std::fwrite(data, 1, size, file);
  std::fclose(file);

  for (const auto mode : {frames::sampling_mode::interval, frames::sampling_mode::keyframes}) {
    frames::frame_request request;
    request.mode = mode;
    request.step_ms = 200;
    request.end_ms = 4000;
    request.max_frames = 4;
    request.max_width = 160;
    request.redactions = {frames::redaction_box{frames::redaction_box::unit::source_pixels, 0, 0, 40, 20}};
    request.max_total_bytes = 256 * 1024;
    try {
      (void)frames::extract_frames(path, request);
    } catch (const video::video_error&) {
    }
  }
  return 0;
}
