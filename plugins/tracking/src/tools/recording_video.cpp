#include "recording_video.hpp"

#include <cstdio>

#include <algorithm>
#include <random>
#include <stdexcept>

#include "../local_video_file.hpp"
#include "../posthog/recording_export.hpp"
#include "../util/private_file.hpp"
#include "../util/timestamps.hpp"
#include "arguments.hpp"

namespace mcpd::tracking::tools {
namespace {

// Where a render that is not cached goes: a private file (0600) that the call removes when done.
std::filesystem::path temporary_video_path() {
  return std::filesystem::temp_directory_path() /
         ("mcpd-recording-" + std::to_string(std::random_device{}()) +
          std::to_string(std::random_device{}()) + ".mp4");
}

utc_millis rendered_time(std::chrono::system_clock::time_point when) {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(when);
}

}  // namespace

void recording_progress::report(double value, std::optional<double> total, std::string_view message) {
  last_ = std::max(last_, value);
  ctx_.progress(value, total, message);
}

void recording_progress::waiting(std::chrono::milliseconds waited, std::string_view message) {
  base_ = std::max(base_, static_cast<double>(waited.count()) / 1000.0);
  report(std::max(base_, last_), std::nullopt, message);
}

frames::extraction_observer recording_progress::observer() {
  frames::extraction_observer result;
  result.progress = [this](double done, std::optional<double> total, std::string_view message) {
    report(base_ + done, total ? std::optional<double>(base_ + *total) : std::nullopt, message);
  };
  result.cancelled = [this] { return ctx_.cancelled(); };
  return result;
}

void recording_progress::step(std::string_view message) {
  report(last_ + 1, std::nullopt, message);
}

void recording_progress::stage(std::string_view message) {
  base_ = std::max(base_, last_);
  report(base_, std::nullopt, message);
}

std::string recording_source::label() const {
  return input == recording_input::posthog_recording ? "recording \"" + recording_id + "\"" : file;
}

recording_source resolve_recording_source(std::string_view tool, const recording_settings& settings,
                                          const instance_registry& instances,
                                          const boost::json::object& arguments) {
  if (!settings.redaction_problems.empty()) {
    throw tool_input_error(std::string(tool) + " is disabled until the redaction rules are fixed: " +
                           settings.redaction_problems.front());
  }
  const auto choice = choose_recording_input(tool, arguments, !settings.local_video_dirs.empty());
  if (!choice.problem.empty()) throw tool_input_error(choice.problem);

  recording_source source;
  source.input = choice.input;
  source.redactions = settings.redactions;
  if (choice.input == recording_input::posthog_recording) {
    source.client = &instances.client_for(tool, arguments, private_api_settings);
    source.recording_id = arguments::optional_string(tool, arguments, "recording_id").value_or("");
    source.refresh = arguments::optional_bool(tool, arguments, "refresh").value_or(false);
    if (auto it = settings.instance_redactions.find(source.client->settings().name);
        it != settings.instance_redactions.end()) {
      source.redactions.insert(source.redactions.end(), it->second.begin(), it->second.end());
    }
    return source;
  }
  const auto* given = arguments::optional_object(tool, arguments, "source");
  const auto file = given == nullptr ? std::nullopt : arguments::optional_string(tool, *given, "file");
  if (!file) {
    throw tool_input_error(std::string(tool) + ": \"source\" must be {\"file\": \"/path/to/video\"}");
  }
  source.file = *file;
  source.path = resolve_local_video(tool, *file, settings.local_video_dirs);
  return source;
}

std::string frame_image_name(std::size_t index, std::int64_t ts_ms) {
  char name[64];
  std::snprintf(name, sizeof name, "frame_%04zu_%lldms.png", index + 1, static_cast<long long>(ts_ms));
  return name;
}

std::string damage_note(const frames::frame_extraction& extraction) {
  std::string note;
  if (extraction.frames_end_ms) {
    note = "The video ends early: its last frame is at " + std::to_string(*extraction.frames_end_ms) + " ms";
    if (const auto claimed = extraction.source.claimed_length_ms())
      note += " though the file says it lasts " + std::to_string(*claimed) + " ms";
    note += " (the file is truncated or damaged";
    if (extraction.damage.read_error) note += "; reading stopped with: " + *extraction.damage.read_error;
    note += "), so frames after it are missing.";
  }
  if (extraction.damage.damaged_packets > 0) {
    note += std::string(note.empty() ? "" : " ") + std::to_string(extraction.damage.damaged_packets) +
            " damaged packet(s) could not be decoded: around them a frame may show what was on screen "
            "before it.";
  }
  return note;
}

std::size_t png_budget(std::size_t max_response_bytes) {
  constexpr std::size_t metadata_reserve = 256 * 1024;  // 1,000 frames of metadata, twice, with room
  const std::size_t room = max_response_bytes > 2 * metadata_reserve ? max_response_bytes - metadata_reserve
                                                                     : max_response_bytes / 2;
  return room / 4 * 3;
}

frames::frame_request read_frame_window(std::string_view tool, const recording_settings& settings,
                                        const boost::json::object& arguments,
                                        const recording_source& source) {
  frames::frame_request request;
  constexpr std::int64_t a_year_ms = 366LL * 24 * 3600 * 1000;
  request.start_ms = arguments::integer_or(tool, arguments, "start_ms", 0, 0, a_year_ms);
  if (arguments.contains("end_ms") && !arguments.at("end_ms").is_null()) {
    request.end_ms = arguments::integer_or(tool, arguments, "end_ms", 0, 1, a_year_ms);
    if (*request.end_ms <= request.start_ms) {
      throw tool_input_error(std::string(tool) + ": \"end_ms\" must be greater than \"start_ms\"");
    }
  }
  request.step_ms = arguments::integer_or(tool, arguments, "step_ms", 1000, 100, 3'600'000);
  request.max_width = static_cast<int>(arguments::integer_or(tool, arguments, "max_width", 1280, 64, 3840));
  request.max_height = static_cast<int>(arguments::integer_or(tool, arguments, "max_height", 1280, 64, 3840));
  request.max_total_bytes = png_budget(settings.max_response_bytes);
  request.max_frame_pixels = settings.max_frame_pixels;
  request.redactions = source.redactions;
  if (const auto* extra = arguments.if_contains("redact"); extra != nullptr && !extra->is_null()) {
    std::vector<std::string> problems;
    auto boxes = frames::parse_redaction_rules(*extra, "redact", problems);
    if (!problems.empty()) throw tool_input_error(std::string(tool) + ": " + problems.front());
    request.redactions.insert(request.redactions.end(), boxes.begin(), boxes.end());
  }
  return request;
}

recording_video::recording_video(std::filesystem::path path, boost::json::object origin, bool temporary)
    : path_(std::move(path)), origin_(std::move(origin)), temporary_(temporary) {}

recording_video::~recording_video() {
  if (!temporary_) return;
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

recording_video::recording_video(recording_video&& other) noexcept
    : path_(std::move(other.path_)), origin_(std::move(other.origin_)), temporary_(other.temporary_) {
  other.temporary_ = false;
}

recording_video& recording_video::operator=(recording_video&& other) noexcept {
  if (this != &other) {
    if (temporary_) {
      std::error_code ignored;
      std::filesystem::remove(path_, ignored);
    }
    path_ = std::move(other.path_);
    origin_ = std::move(other.origin_);
    temporary_ = other.temporary_;
    other.temporary_ = false;
  }
  return *this;
}

recording_video open_recording_video(std::string_view tool, const recording_source& source,
                                     const recording_settings& settings, video_cache& cache,
                                     sdk::call_context& ctx, recording_progress& progress) {
  if (source.input == recording_input::local_file) {
    return recording_video(source.path, boost::json::object{{"kind", "local_file"}, {"file", source.file}},
                           false);
  }
  const auto& client = *source.client;
  const auto& instance = client.settings();
  const std::string project = instance.project_id ? std::to_string(*instance.project_id) : "@current";
  const std::string key = video_cache::key(
      {instance.name, instance.api_host, project, source.recording_id, video_render_parameters});
  boost::json::object origin{{"kind", "posthog_recording"}, {"recording_id", source.recording_id}};
  if (auto hit = source.refresh ? std::nullopt : cache.find(key)) {
    origin["cached"] = true;
    if (hit->rendered_at) origin["rendered_at"] = format_iso8601(rendered_time(*hit->rendered_at));
    return recording_video(hit->file, std::move(origin), false);
  }
  origin["cached"] = false;
  const auto rendered_at = std::chrono::system_clock::now();  // what PostHog has recorded up to now
  const std::int64_t export_id =
      render_recording_export(client, tool, source.recording_id, settings.exports, ctx,
                              [&progress](std::chrono::milliseconds waited, std::string_view message) {
                                progress.waiting(waited, message);
                              });
  origin["rendered_at"] = format_iso8601(rendered_time(rendered_at));
  progress.stage("Rendering recording \"" + source.recording_id + "\": downloading the video (export " +
                 std::to_string(export_id) + ")");
  // Streamed to disk as it downloads: into the cache directory when there is one (renamed into place once
  // complete), else into a temporary file. Either way a failed download leaves nothing behind.
  auto download_into = [&](const std::filesystem::path& path) {
    std::optional<private_file_writer> video;
    try {
      video.emplace(path);
    } catch (const std::runtime_error& failure) {
      throw video_write_error(std::string(tool) + ": cannot write the rendered video (" + failure.what() +
                              ")");
    }
    download_recording_video(client, tool, source.recording_id, export_id, settings.exports, ctx, *video);
    video->keep();
  };
  bool cache_full = false;
  if (cache.enabled()) {
    std::filesystem::path staged;
    try {
      staged = cache.staging_path(key);
    } catch (const std::runtime_error& failure) {
      client.log(sdk::log_level::warning, std::string("video cache: ") + failure.what());
    }
    if (!staged.empty()) {
      try {
        download_into(staged);
        try {
          return recording_video(cache.adopt(key, staged, rendered_at), std::move(origin), false);
        } catch (const std::runtime_error& failure) {
          // The render is still good: this call uses it and removes it after, the next one renders again.
          client.log(sdk::log_level::warning, std::string("video cache: ") + failure.what());
          return recording_video(staged, std::move(origin), true);
        }
      } catch (const video_write_error& failure) {
        // The cache's file system is full (or a file size limit was reached): the partial download is
        // gone, the render is fine, and the temporary directory may have room.
        client.log(sdk::log_level::warning, std::string("video cache: ") + failure.what() +
                                                "; downloading it again to a temporary file");
        cache_full = true;
      }
    }
  }
  const auto temporary = temporary_video_path();
  try {
    download_into(temporary);
  } catch (const video_write_error& failure) {
    if (!cache_full) throw;
    throw video_write_error(std::string(failure.what()) +
                            "; the video cache (plugin_config.tracking.video_cache.dir) could not take it "
                            "either: free disk space there or lower video_cache.max_bytes");
  }
  return recording_video(temporary, std::move(origin), true);
}

}  // namespace mcpd::tracking::tools
