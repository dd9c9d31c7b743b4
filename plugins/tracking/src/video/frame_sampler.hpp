// FrameSampler: the frame on screen at each requested time, for ascending times, as cheaply as possible.
//
// The frame on screen at time t is the last frame whose timestamp is at or before t: the one a player is
// showing then. That holds whatever the frame rate: screen recorders and browsers' MediaRecorder write a
// frame only when something changes, so frames can be seconds apart.
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
  ~frame_sampler();
  frame_sampler(const frame_sampler&) = delete;
  frame_sampler& operator=(const frame_sampler&) = delete;

  // The frame on screen at `time_ms` (before the first frame: the first frame); `frame_time_ms` receives
  // that frame's own time. nullptr once `time_ms` is past the end of the video: the container's duration,
  // or the last frame's time plus one frame interval when that is later. Times must not decrease from one
  // call to the next; the same frame may answer several times.
  const AVFrame* frame_at(std::int64_t time_ms, std::int64_t& frame_time_ms);

  // Frames the decoder produced so far (for benchmarks and tests of the seek rule).
  std::int64_t frames_decoded() const { return frames_decoded_; }
  // The time of the last frame decoded, -1 before any.
  std::int64_t last_frame_ms() const { return last_decoded_ms_; }
  // Whether decoding reached the end of the stream (the file's end, or where a damaged file stops).
  bool reached_end() const { return ended_; }

 private:
  // A decoded frame kept past the reader's next call.
  struct kept_frame {
    AVFrame* frame = nullptr;
    std::int64_t ms = -1;
    bool present = false;
  };
  void keep(kept_frame& into, AVFrame& decoded, std::int64_t ms);
  void forget(kept_frame& kept);
  bool past_the_end(std::int64_t time_ms) const;

  video_reader& reader_;
  std::function<bool()> cancelled_;
  kept_frame on_screen_;  // the last frame at or before the latest time asked for
  kept_frame next_;       // the first frame after it, once decoded
  std::int64_t last_decoded_ms_ = -1;
  bool ended_ = false;
  std::int64_t frames_decoded_ = 0;
};

}  // namespace mcpd::tracking::video
