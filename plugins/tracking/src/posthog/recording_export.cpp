#include "recording_export.hpp"

#include <algorithm>

#include "../video/video_error.hpp"

namespace mcpd::tracking {
namespace {

using std::chrono::milliseconds;

std::int64_t export_id(const boost::json::value& answer, std::string_view tool) {
  const auto* id = answer.is_object() ? answer.get_object().if_contains("id") : nullptr;
  if (id == nullptr || !id->is_int64()) {
    throw upstream_error(std::string(tool) + ": PostHog's answer to the export request has no numeric \"id\"",
                         0);
  }
  return id->get_int64();
}

// The video's bytes on their way to disk. A callback of the HTTP client must not throw, so a failure is
// kept here and thrown by throw_refusal once the client has returned.
struct video_download {
  video_download(private_file_writer& file, std::uint64_t max_bytes) : file(file), max_bytes(max_bytes) {
    sink.begin = [this] { restart(); };
    sink.write = [this](std::string_view chunk) { return append(chunk); };
  }
  video_download(const video_download&) = delete;
  video_download& operator=(const video_download&) = delete;

  void restart() {
    try {
      file.restart();
    } catch (const std::runtime_error& failure) {
      write_failure = failure.what();
    }
  }
  bool append(std::string_view chunk) {
    if (!write_failure.empty()) return false;
    if (file.size() + chunk.size() > max_bytes) {
      over_size = true;
      return false;
    }
    try {
      file.append(chunk);
      return true;
    } catch (const std::runtime_error& failure) {
      write_failure = failure.what();
      return false;
    }
  }

  [[noreturn]] void throw_refusal(std::string_view tool, std::string_view recording_id,
                                  std::int64_t id) const {
    if (over_size) {
      throw upstream_error(std::string(tool) + ": the rendered video of recording \"" +
                               std::string(recording_id) + "\" (export " + std::to_string(id) +
                               ") is larger than " + std::to_string(max_bytes) +
                               " bytes; raise plugin_config.tracking.exports.max_video_bytes to accept it.",
                           0);
    }
    throw video_write_error(std::string(tool) + ": cannot store the rendered video of recording \"" +
                            std::string(recording_id) + "\" (" + write_failure + ")");
  }

  private_file_writer& file;
  std::uint64_t max_bytes;
  sdk::http::body_sink sink;
  bool over_size = false;
  std::string write_failure;
};

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

std::int64_t render_recording_export(const posthog_client& client, std::string_view tool,
                                     std::string_view recording_id, const export_options& options,
                                     const sdk::call_context& ctx, const export_wait_report& report) {
  auto hooks = client.hooks(ctx);
  const auto write_context = client.context(
      tool, posthog_key::personal, "export:write",
      "the project does not exist, or the recording \"" + std::string(recording_id) + "\" is unknown");
  const auto read_context = client.context(tool, posthog_key::personal, "export:read",
                                           "the export disappeared from PostHog while it was rendering");
  const auto exports = client.project_path(tool, hooks).segment("exports");

  // playback_speed 1 keeps video time equal to recording time, so ts_ms means what the caller expects.
  const boost::json::object body{
      {"export_format", "video/mp4"},
      {"export_context", {{"session_recording_id", recording_id}, {"playback_speed", 1}}}};
  const std::string rendering = "Rendering recording \"" + std::string(recording_id) + "\": ";
  if (report) report(milliseconds(0), rendering + "asking PostHog to export it");
  const std::int64_t id =
      export_id(client.private_request(write_context, "POST", exports.str() + "/", &body, hooks), tool);
  auto status_path = exports;
  status_path.segment(id);

  const auto started = std::chrono::steady_clock::now();
  milliseconds interval = options.poll_interval;
  for (int attempt = 1;; ++attempt) {
    const auto answer = client.private_request(read_context, "GET", status_path.str() + "/", nullptr, hooks);
    const auto* object = answer.if_object();
    if (object != nullptr) {
      if (const auto* exception = object->if_contains("exception");
          exception != nullptr && !exception->is_null()) {
        const std::string text = exception->is_string() ? std::string(exception->get_string())
                                                        : boost::json::serialize(*exception);
        throw upstream_error(std::string(tool) + ": PostHog could not render recording \"" +
                                 std::string(recording_id) + "\" (export " + std::to_string(id) +
                                 "): " + sdk::http::redacted_excerpt(text, 500, read_context.secrets),
                             0);
      }
      if (const auto* ready = object->if_contains("has_content");
          ready != nullptr && ready->is_bool() && ready->get_bool())
        break;
    }
    const auto waited = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
    if (waited + interval > options.timeout) {
      throw upstream_error(std::string(tool) + ": PostHog did not finish rendering recording \"" +
                               std::string(recording_id) + "\" within " +
                               std::to_string(options.timeout.count() / 1000) + " s (export " +
                               std::to_string(id) +
                               "). Long recordings can take many minutes: try again later, or raise "
                               "plugin_config.tracking.exports.timeout_ms.",
                           0);
    }
    // A task's status message follows these, so a client polling it sees the render move along.
    if (report)
      report(waited, rendering + "PostHog is exporting it (export " + std::to_string(id) + ", attempt " +
                         std::to_string(attempt) + ", " + std::to_string(waited.count() / 1000) + " s)");
    // Wakes within 50 ms of a cancellation (tasks/cancel included): no further poll goes out.
    if (!sdk::http::sleep_unless_cancelled(interval, hooks)) throw video::video_cancelled();
    interval = std::min(options.max_poll_interval, interval + interval / 2);
  }

  return id;
}

void download_recording_video(const posthog_client& client, std::string_view tool,
                              std::string_view recording_id, std::int64_t id, const export_options& options,
                              const sdk::call_context& ctx, private_file_writer& video) {
  auto hooks = client.hooks(ctx);
  const auto read_context = client.context(tool, posthog_key::personal, "export:read",
                                           "the export disappeared from PostHog while it was rendering");
  auto content_path = client.project_path(tool, hooks).segment("exports");
  content_path.segment(id);
  content_path.segment("content");
  video_download download(video, options.max_video_bytes);
  auto outcome = client.private_get_raw(content_path.str() + "/", hooks, &download.sink);
  if (outcome.reply && is_redirect(outcome.reply->status)) {
    std::string location(outcome.reply->header("Location"));
    if (location.starts_with("/")) location = client.settings().api_host + location;
    if (location.empty())
      throw upstream_error(std::string(tool) + ": PostHog redirected the video download nowhere", 0);
    outcome = client.fetch_without_credentials(location, hooks, &download.sink);
  }
  if (outcome.failure == sdk::http::failure_kind::refused) download.throw_refusal(tool, recording_id, id);
  if (!outcome.ok()) throw_failure(read_context, outcome);
  if (video.size() == 0) {
    throw upstream_error(std::string(tool) + ": PostHog sent an empty video for recording \"" +
                             std::string(recording_id) + "\"",
                         0);
  }
}

}  // namespace mcpd::tracking
