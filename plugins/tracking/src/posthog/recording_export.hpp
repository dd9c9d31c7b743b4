// A session recording rendered to MP4 by PostHog's exports API (reference posthog.md, section 2):
//   POST /api/projects/{id}/exports/ {"export_format":"video/mp4","export_context":{...}}
//   GET  /api/projects/{id}/exports/{eid}/          polled with backoff until has_content or exception
//   GET  /api/projects/{id}/exports/{eid}/content/  usually a 302 to presigned object storage, followed
//                                                   WITHOUT the Authorization header
// Rendering runs in PostHog's workers and takes seconds to many minutes; every wait reports progress and
// gives way to cancellation.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <mcpd/sdk.hpp>

#include "../util/private_file.hpp"
#include "posthog_client.hpp"

namespace mcpd::tracking {

struct export_options {
  std::chrono::milliseconds timeout{900'000};      // give up waiting for the render after this long
  std::chrono::milliseconds poll_interval{2'000};  // first wait between polls; grows 1.5x per poll
  std::chrono::milliseconds max_poll_interval{30'000};
  std::uint64_t max_video_bytes = 2ULL << 30;  // a larger download is stopped (the disk is not infinite)
};

// What is asked of PostHog's renderer; the same text is part of the video cache key, so a change in
// render parameters never serves an old video.
inline constexpr std::string_view video_render_parameters = "video/mp4;playback_speed=1";

// Waiting for PostHog: `waited` so far, for progress notifications.
using export_wait_report = std::function<void(std::chrono::milliseconds waited, std::string_view message)>;

// The video could not be written where it was going (the file system is full, a file size limit): the
// render itself is fine and may be downloaded again elsewhere.
class video_write_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Has PostHog render `recording_id` and returns the export's id once its content is ready. Throws
// upstream_error (PostHog refused or failed, the render reported an exception, or it did not finish within
// options.timeout) or video::video_cancelled.
std::int64_t render_recording_export(const posthog_client& client, std::string_view tool,
                                     std::string_view recording_id, const export_options& options,
                                     const sdk::call_context& ctx, const export_wait_report& report);

// Streams the MP4 of a ready export into `video` as it downloads, so a long recording never sits in
// memory. Throws upstream_error (the download failed, or the video is over options.max_video_bytes) or
// video_write_error when `video` cannot be written; `video` is then incomplete.
void download_recording_video(const posthog_client& client, std::string_view tool,
                              std::string_view recording_id, std::int64_t export_id,
                              const export_options& options, const sdk::call_context& ctx,
                              private_file_writer& video);

}  // namespace mcpd::tracking
