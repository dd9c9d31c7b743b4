// An MP4 video made in memory from rendered (scaled, redacted) frames: what
// tracking.ask_question_about_recording sends in mode "video". Re-encoding is what makes redaction hold
// for video too: the model gets only these pixels, never the recording's own stream, and only the frames
// it samples, so the upload stays small.
//
// H.264 through libx264 when libavcodec has it (Debian's does), else MPEG-4 Part 2, which every build has.
// Timestamps are the frames' own, from the first one: the video runs at recording speed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "images.hpp"

namespace mcpd::tracking::frames {

class clip_encoder {
 public:
  // `frame_interval_ms`: the nominal spacing of the frames (the sampling step), for the frame rate the
  // container announces and the last frame's duration.
  explicit clip_encoder(std::int64_t frame_interval_ms);
  ~clip_encoder();
  clip_encoder(const clip_encoder&) = delete;
  clip_encoder& operator=(const clip_encoder&) = delete;

  // Appends a frame shown at ts_ms (later than the previous one). The first frame sets the video's size
  // (rounded down to even numbers, as 4:2:0 needs); later frames are scaled to it. Throws
  // video::video_error when no encoder can be opened or encoding fails.
  void add(const rgb_image& image, std::int64_t ts_ms);

  // Ends the video and returns the MP4 file's bytes. Throws video::video_error when no frame was added.
  std::string finish();

  std::size_t frames() const noexcept;
  int width() const noexcept;
  int height() const noexcept;
  // "h264" or "mpeg4".
  std::string codec() const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace mcpd::tracking::frames
