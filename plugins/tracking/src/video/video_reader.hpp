// VideoReader: demuxes and decodes the video stream of one file, in presentation order, with the
// timestamps the frames carry.
//
// It is the primitive under FrameSampler: forward decoding plus "seek to the keyframe before t" and the
// question that decides between them (where is the keyframe before t?). Decoding uses libavcodec frame
// threading; audio and other streams are discarded at the demuxer.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "video_source_info.hpp"

struct AVFrame;

namespace mcpd::tracking::video {

class video_reader {
 public:
  // Opens `path` and its decoder. Throws video_error with a message naming the file's problem.
  explicit video_reader(const std::string& path);
  ~video_reader();
  video_reader(const video_reader&) = delete;
  video_reader& operator=(const video_reader&) = delete;

  const video_source_info& info() const;

  // The next decoded frame, or nullptr at the end of the stream. The frame stays valid until the next
  // call to next_frame() or seek(). Packets that fail to decode are skipped (a damaged GOP must not stop
  // the rest); throws video_error only when reading the file itself fails.
  AVFrame* next_frame();

  // The frame's time in milliseconds from the start of the stream (its best-effort timestamp).
  std::int64_t frame_time_ms(const AVFrame& frame) const;

  // Time of the keyframe at or before `time_ms` according to the container's index, if the index has
  // one (MP4 always does; MediaRecorder WebM has none until it is read).
  std::optional<std::int64_t> indexed_keyframe_before(std::int64_t time_ms) const;

  // Jumps to the keyframe at or before `time_ms` and resets the decoder. False when the container
  // cannot seek (then the caller keeps decoding forward).
  bool seek(std::int64_t time_ms);

  // Upcoming packets before `time_ms` may skip non-reference frames (they are not wanted); frames at or
  // after it are all decoded. Speeds up long forward runs about 1.7x on H.264.
  void skip_non_reference_before(std::int64_t time_ms);

  // Duration of one frame in ms (from the average frame rate), 0 when unknown.
  double frame_interval_ms() const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace mcpd::tracking::video
