// The video behind a recording tool call, shared by tracking.recording_frames and
// tracking.ask_question_about_recording so that both read the same sources the same way:
//   resolve_recording_source  which video the call names (a PostHog recording or an allowed local file) and
//                             which configured redaction boxes apply to it; cheap, nothing leaves the host
//   read_frame_window         the frame_request fields both tools take (window, width, redaction, size cap)
//   open_recording_video      the file to decode: the local file, PostHog's render from the video cache, or a
//                             fresh render (stored in the cache, or in a private temporary file)
// plus recording_progress, which puts waiting for PostHog, decoding and any later step on one rising scale.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mcpd/sdk.hpp>

#include "../frames/frame_extraction.hpp"
#include "../posthog/instance_registry.hpp"
#include "../recording_input.hpp"
#include "../recording_settings.hpp"
#include "../video_cache.hpp"

namespace mcpd::tracking::tools {

// notifications/progress for one recording call. Values only ever grow: waiting for PostHog's render counts
// seconds, decoding continues from there, and step() goes one past everything reported so far.
class recording_progress {
 public:
  explicit recording_progress(sdk::call_context& ctx) : ctx_(ctx) {}

  void waiting(std::chrono::milliseconds waited, std::string_view message);
  // For frames::extract_frames: its progress on this scale, and the call's cancellation.
  frames::extraction_observer observer();
  // A step after decoding, e.g. asking a model.
  void step(std::string_view message);
  // A stage between waiting and decoding (downloading the render): said at the current value, which
  // decoding then continues from.
  void stage(std::string_view message);

 private:
  void report(double value, std::optional<double> total, std::string_view message);

  sdk::call_context& ctx_;
  double base_ = 0;  // where decoding starts on the scale
  double last_ = 0;  // the highest value reported
};

// What a call asked to read, checked but not fetched.
struct recording_source {
  recording_input input = recording_input::posthog_recording;
  const posthog_client* client = nullptr;  // posthog_recording: the instance's client
  std::string recording_id;                // posthog_recording
  bool refresh = false;                    // posthog_recording: render again even when cached
  std::string file;                        // local_file: the path as the caller gave it
  std::filesystem::path path;              // local_file: the resolved path inside local_video_dirs
  // The configured boxes for this video: redact_rules, plus the instance's for a PostHog recording.
  std::vector<frames::redaction_box> redactions;

  // How messages name the video: recording "<id>", or the file as given.
  std::string label() const;
};

// Throws tool_input_error with the isError text: the redaction rules are broken, neither or both of
// recording_id and source are given, local files are off or this one is refused, or the instance lacks the
// settings a render needs.
recording_source resolve_recording_source(std::string_view tool, const recording_settings& settings,
                                          const instance_registry& instances,
                                          const boost::json::object& arguments);

// A file name for the index-th returned frame (0-based) shown at ts_ms, e.g. "frame_0001_12000ms.png": what
// the prototype called image_name, for agents that save frames or refer to them by name.
std::string frame_image_name(std::size_t index, std::int64_t ts_ms);

// Sentences about what a damaged or truncated video lost (empty when nothing was), for a result's note.
std::string damage_note(const frames::frame_extraction& extraction);

// The PNG bytes one answer may carry under `max_response_bytes`: base64 makes 3 bytes 4, and the frames'
// metadata (structured and again as text) and the JSON around each image need room too.
std::size_t png_budget(std::size_t max_response_bytes);

// The frame_request fields both tools take from their arguments (start_ms, end_ms, step_ms, max_width,
// redact) plus the operator's response size cap and the source's configured redaction boxes. The caller
// sets mode, max_frames and contact_sheet. Throws tool_input_error.
frames::frame_request read_frame_window(std::string_view tool, const recording_settings& settings,
                                        const boost::json::object& arguments, const recording_source& source);

// A video file on disk for as long as this object lives (a temporary render is removed with it).
class recording_video {
 public:
  // `temporary`: the file is this call's own copy and is removed with this object.
  recording_video(std::filesystem::path path, boost::json::object origin, bool temporary);
  ~recording_video();
  recording_video(recording_video&&) noexcept;
  recording_video& operator=(recording_video&&) noexcept;

  const std::filesystem::path& path() const { return path_; }
  // structuredContent.source before decoding: kind, recording_id or file, and for a recording whether the
  // render came from the cache.
  const boost::json::object& origin() const { return origin_; }

 private:
  std::filesystem::path path_;
  boost::json::object origin_;
  bool temporary_ = false;
};

// The source's video on disk. A PostHog recording comes from the cache, or is rendered through the exports
// API (slow, counts against the export quota; progress reported while waiting). Throws upstream_error when
// PostHog refuses or fails, std::runtime_error when the render cannot be written, video::video_cancelled.
recording_video open_recording_video(std::string_view tool, const recording_source& source,
                                     const recording_settings& settings, video_cache& cache,
                                     sdk::call_context& ctx, recording_progress& progress);

}  // namespace mcpd::tracking::tools
