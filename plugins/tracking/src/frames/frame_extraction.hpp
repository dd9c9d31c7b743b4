// extract_frames: a video file in, redacted PNG frames with their real metadata out.
//
// The whole M5 pipeline as one library call, so tracking.recording_frames and
// tracking.ask_question_about_recording share it: VideoReader + FrameSampler pick the frames, FrameScaler
// shrinks them, redaction paints the boxes, encode_png writes them. Nothing touches the disk but the
// video itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../video/video_reader.hpp"
#include "../video/video_source_info.hpp"
#include "images.hpp"
#include "redaction.hpp"

namespace mcpd::tracking::frames {

enum class sampling_mode {
  interval,   // one frame every step_ms from start_ms
  keyframes,  // samples every step_ms are scored; the max_frames most telling are returned
};

struct frame_request {
  sampling_mode mode = sampling_mode::interval;
  std::int64_t start_ms = 0;
  std::optional<std::int64_t> end_ms;  // exclusive; absent: to the end of the video
  std::int64_t step_ms = 1000;
  std::size_t max_frames = 120;
  int max_width = 1280;  // frames as shown are scaled down to fit max_width x max_height
  int max_height = 1280;
  std::vector<redaction_box> redactions;
  std::size_t max_total_bytes = 20 * 1024 * 1024;  // PNG bytes of all frames together
  std::int64_t max_frame_pixels = video::default_max_frame_pixels;
  // One image tiling every frame (max_width wide, each tile labelled with its time) instead of one PNG
  // per frame.
  bool contact_sheet = false;
};

struct extracted_frame {
  std::int64_t ts_ms = 0;      // the decoded frame's own timestamp
  std::int64_t sample_ms = 0;  // the time asked for, at which this frame was on screen
  int width = 0;               // of the PNG
  int height = 0;
  double scene_score = 0;  // change against the previous sample (0 for the first)
  bool redacted = false;
  std::vector<std::uint8_t> png;  // empty with contact_sheet: the frame is a tile of the sheet
  rgb_image tile;                 // with contact_sheet, until the sheet is built
};

struct frame_extraction {
  video::video_source_info source;
  std::vector<extracted_frame> frames;
  std::size_t dropped_for_size = 0;  // frames selected but left out to stay under max_total_bytes
  std::int64_t frames_decoded = 0;   // decoder output, all passes (a cost measure)
  // What a damaged or truncated file lost: packets that could not be decoded, why reading stopped early,
  // and where the frames ended when that is before the duration the file claims.
  video::read_damage damage;
  std::optional<std::int64_t> frames_end_ms;
  // With contact_sheet: the sheet as PNG and its size.
  std::vector<std::uint8_t> contact_sheet_png;
  int contact_sheet_width = 0;
};

// How a caller follows and stops the work. Both may be empty.
struct extraction_observer {
  // progress so far, total when known, a short message. Called from the extracting thread.
  std::function<void(double progress, std::optional<double> total, std::string_view message)> progress;
  // Polled between frames and while decoding; true makes extract_frames throw video::video_cancelled.
  std::function<bool()> cancelled;
};

// Throws video::video_error (not a video, damaged, nothing decodable, start past the end) or
// video::video_cancelled.
frame_extraction extract_frames(const std::string& path, const frame_request& request,
                                const extraction_observer& observer = {});

// The interval samples of `request` (its mode and byte cap are ignored), scaled and redacted like
// extract_frames' but not encoded: each goes to on_frame in time order with its image in `tile` (for a
// video made of them). Returns what the decoder found. Throws like extract_frames.
video::video_source_info render_interval(const std::string& path, const frame_request& request,
                                         const extraction_observer& observer,
                                         const std::function<void(extracted_frame&&)>& on_frame);

}  // namespace mcpd::tracking::frames
