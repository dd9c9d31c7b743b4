// FrameSampler: the frame shown at each requested time, for ascending times, as cheaply as possible.
//
// The hybrid rule (reference gemini-and-video.md, section 2): seek only when the container's index puts a
// keyframe after what has been decoded already and at or before the wanted time; otherwise decode forward.
// Seeking every sample is 60x slower on single-keyframe screen recordings, decoding everything is 3x slower
// on short-GOP videos sampled sparsely; the rule is never worse than either.
#pragma once

#include <cstdint>
#include <functional>

#include "video_reader.hpp"

namespace mcpd::tracking::video {

class frame_sampler {
 public:
  // `cancelled` is polled while decoding toward a far target; when it answers true, frame_at throws
  // video_cancelled.
  frame_sampler(video_reader& reader, std::function<bool()> cancelled = {});

  // The frame nearest `time_ms`: the first one whose time is at least time_ms minus half a frame interval.
  // `frame_time_ms` receives that frame's own time. nullptr once the video has ended before `time_ms`.
  // Times must not decrease from one call to the next; the same frame may answer two close times.
  const AVFrame* frame_at(std::int64_t time_ms, std::int64_t& frame_time_ms);

  // Frames the decoder produced so far (for benchmarks and tests of the seek rule).
  std::int64_t frames_decoded() const { return frames_decoded_; }

 private:
  video_reader& reader_;
  std::function<bool()> cancelled_;
  const AVFrame* current_ = nullptr;
  std::int64_t current_ms_ = -1;
  std::int64_t last_decoded_ms_ = -1;
  bool ended_ = false;
  std::int64_t frames_decoded_ = 0;
};

}  // namespace mcpd::tracking::video
