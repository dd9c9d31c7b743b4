// tracking.recording_frames: a recording (or an allowed local video) to redacted PNG frames.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>

#include "../frames/frame_extraction.hpp"
#include "../local_video_file.hpp"
#include "../posthog/recording_export.hpp"
#include "../recording_input.hpp"
#include "../util/private_file.hpp"
#include "../video/video_error.hpp"
#include "arguments.hpp"
#include "tool_handlers.hpp"

namespace mcpd::tracking::tools {
namespace {

constexpr std::string_view tool = "tracking.recording_frames";

frames::frame_request read_request(const recording_settings& settings, const boost::json::object& arguments,
                                   const std::vector<frames::redaction_box>& configured_redactions) {
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
  request.redactions = configured_redactions;
  if (const auto* extra = arguments.if_contains("redact"); extra != nullptr && !extra->is_null()) {
    std::vector<std::string> problems;
    auto boxes = frames::parse_redaction_rules(*extra, "redact", problems);
    if (!problems.empty()) throw tool_input_error(std::string(tool) + ": " + problems.front());
    request.redactions.insert(request.redactions.end(), boxes.begin(), boxes.end());
  }
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
      {"contact_sheet", request.contact_sheet},
      {"dropped_for_size", extraction.dropped_for_size}};
  if (extraction.dropped_for_size > 0) {
    structured["note"] = std::to_string(extraction.dropped_for_size) +
                         " later frame(s) were left out to keep the images under " +
                         std::to_string(request.max_total_bytes) +
                         " bytes (max_response_bytes). Ask for the rest with start_ms after the last ts_ms, "
                         "a smaller max_width or fewer frames.";
  }
  result.text(boost::json::serialize(structured));
  if (request.contact_sheet) {
    if (!extraction.contact_sheet_png.empty()) result.image(extraction.contact_sheet_png, "image/png");
  } else {
    for (const auto& frame : extraction.frames) result.image(frame.png, "image/png");
  }
  result.structured(std::move(structured));
  return result;
}

// A rendered video written to a private temporary file when the cache is off; removed afterwards.
class temporary_video {
 public:
  explicit temporary_video(std::string_view bytes) {
    path_ =
        std::filesystem::temp_directory_path() / ("mcpd-recording-" + std::to_string(std::random_device{}()) +
                                                  std::to_string(std::random_device{}()) + ".mp4");
    try {
      write_private_file(path_, bytes);
    } catch (const std::runtime_error& failure) {
      throw std::runtime_error(std::string(tool) + ": cannot write the rendered video to a temporary file (" +
                               failure.what() + ")");
    }
  }
  ~temporary_video() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  temporary_video(const temporary_video&) = delete;
  temporary_video& operator=(const temporary_video&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Progress for one call: waiting for PostHog and decoding report on one rising scale.
struct call_progress {
  sdk::call_context& ctx;
  double base = 0;

  void waiting(std::chrono::milliseconds waited, std::string_view message) {
    base = std::max(base, static_cast<double>(waited.count()) / 1000.0);
    ctx.progress(base, std::nullopt, message);
  }
  frames::extraction_observer observer() {
    frames::extraction_observer result;
    result.progress = [this](double done, std::optional<double> total, std::string_view message) {
      ctx.progress(base + done, total ? std::optional<double>(base + *total) : std::nullopt, message);
    };
    result.cancelled = [this] { return ctx.cancelled(); };
    return result;
  }
};

sdk::tool_result extract_and_answer(const std::filesystem::path& video, const frames::frame_request& request,
                                    call_progress& progress, boost::json::object origin,
                                    std::string_view label) {
  try {
    const auto extraction = frames::extract_frames(video.string(), request, progress.observer());
    return frames_result(extraction, request, source_json(extraction, std::move(origin)));
  } catch (const video::video_error& failure) {
    return sdk::tool_result::error(std::string(tool) + ": " + std::string(label) + ": " + failure.what());
  } catch (const video::video_cancelled&) {
    return sdk::tool_result::error(std::string(tool) + ": cancelled");
  }
}

sdk::tool_result posthog_recording_frames(const recording_settings& settings, video_cache& cache,
                                          const instance_registry& instances, sdk::call_context& ctx,
                                          const boost::json::object& arguments) {
  const auto& client = instances.client_for(tool, arguments, private_api_settings);
  const auto recording_id = arguments::optional_string(tool, arguments, "recording_id").value_or("");
  std::vector<frames::redaction_box> redactions = settings.redactions;
  if (auto it = settings.instance_redactions.find(client.settings().name);
      it != settings.instance_redactions.end()) {
    redactions.insert(redactions.end(), it->second.begin(), it->second.end());
  }
  const frames::frame_request request = read_request(settings, arguments, redactions);

  const auto& instance = client.settings();
  const std::string project = instance.project_id ? std::to_string(*instance.project_id) : "@current";
  const std::string key =
      video_cache::key({instance.name, instance.api_host, project, recording_id, video_render_parameters});
  call_progress progress{ctx};
  boost::json::object origin{{"kind", "posthog_recording"}, {"recording_id", recording_id}};
  const std::string label = "recording \"" + recording_id + "\"";
  if (auto hit = cache.find(key)) {
    origin["cached"] = true;
    return extract_and_answer(*hit, request, progress, std::move(origin), label);
  }
  std::string bytes;
  try {
    bytes = render_recording_video(client, tool, recording_id, settings.exports, ctx,
                                   [&progress](std::chrono::milliseconds waited, std::string_view message) {
                                     progress.waiting(waited, message);
                                   });
  } catch (const video::video_cancelled&) {
    return sdk::tool_result::error(std::string(tool) + ": cancelled");
  }
  origin["cached"] = false;
  if (cache.enabled()) {
    std::filesystem::path stored;
    try {
      stored = cache.store(key, bytes);
    } catch (const std::runtime_error& failure) {
      client.log(sdk::log_level::warning, std::string("video cache: ") + failure.what());
    }
    if (!stored.empty()) {
      bytes = {};
      return extract_and_answer(stored, request, progress, std::move(origin), label);
    }
  }
  const temporary_video file(bytes);
  bytes = {};
  return extract_and_answer(file.path(), request, progress, std::move(origin), label);
}

}  // namespace

sdk::tool_result recording_frames(const recording_settings& settings, video_cache& cache,
                                  const instance_registry& instances, sdk::call_context& ctx,
                                  const boost::json::object& arguments) {
  if (!settings.redaction_problems.empty()) {
    return sdk::tool_result::error(std::string(tool) + " is disabled until the redaction rules are fixed: " +
                                   settings.redaction_problems.front());
  }
  const auto choice = choose_recording_input(tool, arguments, !settings.local_video_dirs.empty());
  if (!choice.problem.empty()) return sdk::tool_result::error(choice.problem);
  if (choice.input == recording_input::posthog_recording) {
    return posthog_recording_frames(settings, cache, instances, ctx, arguments);
  }

  const auto* source = arguments::optional_object(tool, arguments, "source");
  const auto file = source == nullptr ? std::nullopt : arguments::optional_string(tool, *source, "file");
  if (!file)
    throw tool_input_error(std::string(tool) + ": \"source\" must be {\"file\": \"/path/to/video\"}");
  const auto path = resolve_local_video(tool, *file, settings.local_video_dirs);
  const frames::frame_request request = read_request(settings, arguments, settings.redactions);
  call_progress progress{ctx};
  return extract_and_answer(path, request, progress,
                            boost::json::object{{"kind", "local_file"}, {"file", *file}}, *file);
}

}  // namespace mcpd::tracking::tools
