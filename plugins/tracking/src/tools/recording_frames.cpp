// tracking.recording_frames: a recording (or an allowed local video) to redacted PNG frames.
#include <cmath>

#include "../frames/frame_extraction.hpp"
#include "../local_video_file.hpp"
#include "../recording_input.hpp"
#include "../video/video_error.hpp"
#include "arguments.hpp"
#include "tool_handlers.hpp"

namespace mcpd::tracking::tools {
namespace {

constexpr std::string_view tool = "tracking.recording_frames";

frames::frame_request read_request(const recording_settings& settings, const boost::json::object& arguments) {
  frames::frame_request request;
  const auto mode = arguments::optional_string(tool, arguments, "mode").value_or("interval");
  if (mode == "keyframes") {
    request.mode = frames::sampling_mode::keyframes;
  } else if (mode != "interval") {
    throw tool_input_error(std::string(tool) + ": \"mode\" must be \"interval\" or \"keyframes\"");
  }
  constexpr std::int64_t a_year_ms = 366LL * 24 * 3600 * 1000;
  request.start_ms = arguments::integer_or(tool, arguments, "start_ms", 0, 0, a_year_ms);
  if (arguments.contains("end_ms") && !arguments.at("end_ms").is_null()) {
    request.end_ms = arguments::integer_or(tool, arguments, "end_ms", 0, 1, a_year_ms);
    if (*request.end_ms <= request.start_ms) {
      throw tool_input_error(std::string(tool) + ": \"end_ms\" must be greater than \"start_ms\"");
    }
  }
  request.step_ms = arguments::integer_or(tool, arguments, "step_ms", 1000, 100, 3'600'000);
  const auto max_frames = arguments::integer_or(tool, arguments, "max_frames", 120, 1, 1000);
  request.max_frames = std::min(static_cast<std::size_t>(max_frames), settings.max_frames_cap);
  request.max_width = static_cast<int>(arguments::integer_or(tool, arguments, "max_width", 1280, 64, 3840));
  request.max_total_bytes = settings.max_response_bytes;
  request.redactions = settings.redactions;
  if (const auto* extra = arguments.if_contains("redact"); extra != nullptr && !extra->is_null()) {
    std::vector<std::string> problems;
    auto boxes = frames::parse_redaction_rules(*extra, "redact", problems);
    if (!problems.empty()) throw tool_input_error(std::string(tool) + ": " + problems.front());
    request.redactions.insert(request.redactions.end(), boxes.begin(), boxes.end());
  }
  if (arguments::optional_bool(tool, arguments, "contact_sheet").value_or(false)) {
    throw tool_input_error(
        std::string(tool) +
        ": contact_sheet is not implemented yet; call without it to get one image per frame");
  }
  return request;
}

boost::json::object source_json(const frames::frame_extraction& extraction, const std::string& file) {
  const auto& info = extraction.source;
  boost::json::object source{{"kind", "local_file"}, {"file", file}, {"codec", info.codec}};
  if (info.duration_ms) source["duration_ms"] = *info.duration_ms;
  if (info.fps) source["fps"] = std::round(*info.fps * 1000.0) / 1000.0;
  if (info.width > 0) source["width"] = info.width;
  if (info.height > 0) source["height"] = info.height;
  return source;
}

sdk::tool_result frames_result(const frames::frame_extraction& extraction,
                               const frames::frame_request& request, boost::json::object source) {
  sdk::tool_result result;
  boost::json::array frames;
  for (std::size_t i = 0; i < extraction.frames.size(); ++i) {
    const auto& frame = extraction.frames[i];
    frames.push_back(boost::json::object{{"index", i},
                                         {"ts_ms", frame.ts_ms},
                                         {"width", frame.width},
                                         {"height", frame.height},
                                         {"scene_score", std::round(frame.scene_score * 1e6) / 1e6},
                                         {"redacted", frame.redacted}});
  }
  boost::json::object structured{
      {"mode", request.mode == frames::sampling_mode::keyframes ? "keyframes" : "interval"},
      {"frames", std::move(frames)},
      {"source", std::move(source)},
      {"contact_sheet", false},
      {"dropped_for_size", extraction.dropped_for_size}};
  if (extraction.dropped_for_size > 0) {
    structured["note"] = std::to_string(extraction.dropped_for_size) +
                         " later frame(s) were left out to keep the images under " +
                         std::to_string(request.max_total_bytes) +
                         " bytes (max_response_bytes). Ask for the rest with start_ms after the last ts_ms, "
                         "a smaller max_width or fewer frames.";
  }
  result.text(boost::json::serialize(structured));
  for (const auto& frame : extraction.frames) result.image(frame.png, "image/png");
  result.structured(std::move(structured));
  return result;
}

}  // namespace

sdk::tool_result recording_frames(const recording_settings& settings, const instance_registry& instances,
                                  sdk::call_context& ctx, const boost::json::object& arguments) {
  if (!settings.redaction_problems.empty()) {
    return sdk::tool_result::error(std::string(tool) + " is disabled until the redaction rules are fixed: " +
                                   settings.redaction_problems.front());
  }
  const auto choice = choose_recording_input(tool, arguments, !settings.local_video_dirs.empty());
  if (!choice.problem.empty()) return sdk::tool_result::error(choice.problem);
  if (choice.input == recording_input::posthog_recording) {
    if (std::string problem = instances.problem(tool, arguments, private_api_settings); !problem.empty()) {
      return sdk::tool_result::error(problem);
    }
    return sdk::tool_result::error(
        std::string(tool) +
        ": rendering PostHog recordings through the exports API is not implemented "
        "yet; pass source.file with a local video instead");
  }

  const auto* source = arguments::optional_object(tool, arguments, "source");
  const auto file = source == nullptr ? std::nullopt : arguments::optional_string(tool, *source, "file");
  if (!file)
    throw tool_input_error(std::string(tool) + ": \"source\" must be {\"file\": \"/path/to/video\"}");
  const auto path = resolve_local_video(tool, *file, settings.local_video_dirs);
  const frames::frame_request request = read_request(settings, arguments);

  frames::extraction_observer observer;
  observer.progress = [&ctx](double done, std::optional<double> total, std::string_view message) {
    ctx.progress(done, total, message);
  };
  observer.cancelled = [&ctx] { return ctx.cancelled(); };
  try {
    const auto extraction = frames::extract_frames(path.string(), request, observer);
    return frames_result(extraction, request, source_json(extraction, *file));
  } catch (const video::video_error& failure) {
    return sdk::tool_result::error(std::string(tool) + ": " + *file + ": " + failure.what());
  } catch (const video::video_cancelled&) {
    return sdk::tool_result::error(std::string(tool) + ": cancelled");
  }
}

}  // namespace mcpd::tracking::tools
