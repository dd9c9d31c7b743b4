// tracking.recording_frames: a recording (or an allowed local video) to redacted PNG frames.
#include <algorithm>
#include <cmath>

#include "../frames/frame_extraction.hpp"
#include "../frames/frame_scaler.hpp"
#include "../util/tool_names.hpp"
#include "../video/video_error.hpp"
#include "arguments.hpp"
#include "recording_video.hpp"
#include "tool_handlers.hpp"

namespace mcpd::tracking::tools {
namespace {

constexpr tool_label tool{"recording_frames"};

frames::frame_request read_request(const recording_settings& settings, const boost::json::object& arguments,
                                   const recording_source& source) {
  frames::frame_request request = read_frame_window(tool, settings, arguments, source);
  const auto mode = arguments::optional_string(tool, arguments, "mode").value_or("interval");
  if (mode == "keyframes") {
    request.mode = frames::sampling_mode::keyframes;
  } else if (mode != "interval") {
    throw tool_input_error(std::string(tool) + ": \"mode\" must be \"interval\" or \"keyframes\"");
  }
  const auto max_frames = arguments::integer_or(tool, arguments, "max_frames", 20, 1, 1000);
  request.max_frames = std::min(static_cast<std::size_t>(max_frames), settings.max_frames_cap);
  request.contact_sheet = arguments::optional_bool(tool, arguments, "contact_sheet").value_or(false);
  return request;
}

// structuredContent.source: where the video came from (`origin`) plus what the decoder found.
boost::json::object source_json(const frames::frame_extraction& extraction, boost::json::object origin) {
  const auto& info = extraction.source;
  boost::json::object source = std::move(origin);
  source["codec"] = info.codec;
  if (info.duration_ms) source["duration_ms"] = *info.duration_ms;
  if (info.fps) source["fps"] = std::round(*info.fps * 1000.0) / 1000.0;
  if (info.width > 0 && info.height > 0) {
    const auto shown =
        frames::frame_scaler::displayed(info.width, info.height, {info.rotation, info.sample_aspect_ratio});
    source["width"] = shown.width;
    source["height"] = shown.height;
  }
  source["rotation"] = info.rotation;
  return source;
}

// What the caller should know beyond the frames: what was left out for size and how to get it, and what a
// damaged file lost.
std::string frames_note(const frames::frame_extraction& extraction, const frames::frame_request& request,
                        std::size_t max_response_bytes) {
  std::string note;
  if (extraction.dropped_for_size > 0) {
    note = std::to_string(extraction.dropped_for_size) +
           " later frame(s) were left out to keep this answer under " + std::to_string(max_response_bytes) +
           " bytes (max_response_bytes). To see them, ";
    if (request.mode == frames::sampling_mode::interval && !extraction.frames.empty()) {
      note += "call again with start_ms " +
              std::to_string(extraction.frames.back().sample_ms + request.step_ms) + ", or ";
    }
    note += "ask for a smaller max_width or contact_sheet: true (all frames tiled in one image).";
  }
  if (auto damage = damage_note(extraction); !damage.empty()) note += (note.empty() ? "" : " ") + damage;
  return note;
}

sdk::tool_result frames_result(const frames::frame_extraction& extraction,
                               const frames::frame_request& request, boost::json::object source,
                               std::size_t max_response_bytes) {
  boost::json::array frames;
  for (std::size_t i = 0; i < extraction.frames.size(); ++i) {
    const auto& frame = extraction.frames[i];
    frames.push_back(boost::json::object{{"index", i},
                                         {"ts_ms", frame.ts_ms},
                                         {"image_name", frame_image_name(i, frame.ts_ms)},
                                         {"width", frame.width},
                                         {"height", frame.height},
                                         {"scene_score", std::round(frame.scene_score * 1e6) / 1e6},
                                         {"redacted", frame.redacted}});
  }
  boost::json::object structured{
      {"mode", request.mode == frames::sampling_mode::keyframes ? "keyframes" : "interval"},
      {"frames", std::move(frames)},
      {"source", std::move(source)},
      {"contact_sheet", request.contact_sheet},
      {"dropped_for_size", extraction.dropped_for_size}};
  if (auto note = frames_note(extraction, request, max_response_bytes); !note.empty())
    structured["note"] = std::move(note);
  auto result = sdk::tool_result::structured_with_text(std::move(structured));
  if (request.contact_sheet) {
    if (!extraction.contact_sheet_png.empty()) result.image(extraction.contact_sheet_png, "image/png");
  } else {
    for (const auto& frame : extraction.frames) result.image(frame.png, "image/png");
  }
  return result;
}

}  // namespace

sdk::tool_result recording_frames(const recording_settings& settings, video_cache& cache,
                                  const instance_registry& instances, sdk::call_context& ctx,
                                  const boost::json::object& arguments) {
  const recording_source source = resolve_recording_source(tool, settings, instances, arguments);
  const frames::frame_request request = read_request(settings, arguments, source);
  // The arguments are good: the slow part (a render, the decoding) runs as a task when the client can
  // take one.
  ctx.continue_as_task();
  recording_progress progress(ctx);
  try {
    const recording_video video = open_recording_video(tool, source, settings, cache, ctx, progress);
    try {
      const auto extraction = frames::extract_frames(video.path().string(), request, progress.observer());
      return frames_result(extraction, request, source_json(extraction, video.origin()),
                           settings.max_response_bytes);
    } catch (const video::video_error& failure) {
      return sdk::tool_result::error(std::string(tool) + ": " + source.label() + ": " + failure.what());
    }
  } catch (const video::video_cancelled&) {
    return sdk::tool_result::error(std::string(tool) + ": cancelled");
  }
}

}  // namespace mcpd::tracking::tools
