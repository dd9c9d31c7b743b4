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

// What went wrong while reading, short of failing: a truncated or damaged file still gives the frames it
// has, and the caller says what was lost.
struct read_damage {
  std::int64_t damaged_packets = 0;       // packets marked corrupt or refused by the decoder
  std::optional<std::string> read_error;  // why reading stopped before the end of the file, if it did
};

// The largest frame decoded by default: 4096 x 4096 (a 5K screen fits). An 8192 x 8192 file peaks at about
// 450 MB in the decoder.
inline constexpr std::int64_t default_max_frame_pixels = std::int64_t{4096} * 4096;

class video_reader {
 public:
  // Opens `path` and its decoder. Throws video_error with a message naming the file's problem, including a
  // frame size over `max_frame_pixels`.
  explicit video_reader(const std::string& path, std::int64_t max_frame_pixels = default_max_frame_pixels);
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

  // Upcoming non-reference frames may be skipped when they cannot be the frame on screen at `time_ms`:
  // a frame already read (and decoded) lies after them and at or before `time_ms`. Speeds up long forward
  // runs about 1.7x on H.264 and never changes which frame is on screen, whatever the frame rate.
  void skip_non_reference_before(std::int64_t time_ms);

  // Damage met so far.
  const read_damage& damage() const;

  // Duration of one frame in ms (from the average frame rate), 0 when unknown.
  double frame_interval_ms() const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace mcpd::tracking::video
