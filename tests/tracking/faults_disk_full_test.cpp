// The disk full while a rendered recording downloads into the video cache (M8 fault tests). A write that
// fails (ENOSPC on a full file system, EFBIG past the process's file size limit) removes the partial file:
// nothing half written is left in the cache to be served later as if complete. The call then downloads the
// render again into a temporary file, so it still answers when only the cache's file system is full, and
// answers a clear error when there is no room anywhere. The host keeps serving throughout, a well-behaved
// client's ping stays within 3x idle, and the cache works again once there is room.
//
// Two ways to fill the disk: RLIMIT_FSIZE on the server (prlimit(1), no privilege needed; mcpd ignores
// SIGXFSZ, so a write past the limit fails with EFBIG), and, when the test runs as root, a small tmpfs
// mounted on the cache directory and filled up (ENOSPC, the real thing).
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "fault_latency.hpp"
#include "test_videos.hpp"
#include "tool_call_checks.hpp"
#include "tracking_harness.hpp"

using namespace tracking_test;
using namespace video_fixtures;
using mcpd_test::McpSession;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr const char* tool = "tracking.recording_frames";

fs::path tracking_plugin() {
  return fs::path(mcpd_test::BuildPaths::shipped_plugins_dir()) / "tracking.so";
}

// mcpd serve --stdio with only tracking.so, whose config points at `fake` and caches in `cache_dir`,
// temporary files in `temp_dir`, and RLIMIT_FSIZE `max_file_bytes` when set.
std::unique_ptr<McpSession> start_tracking(const FakePosthog& fake, const fs::path& cache_dir,
                                           const fs::path& temp_dir,
                                           std::optional<std::uint64_t> max_file_bytes = std::nullopt) {
  mcpd_test::ServeOptions options;
  options.plugins = {tracking_plugin().string()};
  options.config = json::object{
      {"plugin_config",
       {{"tracking", tracking_section(fake, {{"exports", {{"poll_interval_ms", 100}, {"timeout_ms", 20000}}},
                                             {"video_cache", {{"dir", cache_dir.string()}}}})}}}};
  options.environment = {"TMPDIR=" + temp_dir.string()};
  options.max_file_bytes = max_file_bytes;
  auto session = std::make_unique<McpSession>(std::move(options));
  session->initialize();
  return session;
}

// Files in `dir` by kind: complete videos (.mp4), staged downloads (.part...), anything else.
struct cache_files {
  int videos = 0;
  int staged = 0;
  int others = 0;
};
cache_files files_in(const fs::path& dir) {
  cache_files found;
  if (!fs::exists(dir)) return found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto extension = entry.path().extension().string();
    if (extension == ".mp4")
      ++found.videos;
    else if (extension.starts_with(".part"))
      ++found.staged;
    else
      ++found.others;
  }
  return found;
}

int temporary_videos(const fs::path& dir) {
  int found = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    found += entry.path().filename().string().starts_with("mcpd-recording-");
  return found;
}

std::string error_text(const json::object& response) {
  if (response.contains("error")) return json::serialize(response.at("error"));
  const auto& result = response.at("result").as_object();
  return mcpd_test::is_error_result(result) ? mcpd_test::text_of(result) : std::string();
}

// A tmpfs mounted on a directory for the life of the object; mounted() is false when this process may
// not mount (not root, or no CAP_SYS_ADMIN in a container).
class small_tmpfs {
 public:
  small_tmpfs(const fs::path& dir, const std::string& size) : dir_(dir) {
    fs::create_directories(dir_);
    if (::geteuid() != 0) {
      why_not_ = "not running as root";
      return;
    }
    const std::string options = "size=" + size + ",mode=0700";
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options.c_str()) != 0) {
      why_not_ = std::string("mount: ") + std::strerror(errno);
      return;
    }
    mounted_ = true;
  }
  ~small_tmpfs() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  small_tmpfs(const small_tmpfs&) = delete;
  small_tmpfs& operator=(const small_tmpfs&) = delete;
  bool mounted() const { return mounted_; }
  const std::string& why_not() const { return why_not_; }

 private:
  fs::path dir_;
  bool mounted_ = false;
  std::string why_not_;
};

// Writes `file` until the file system is full; returns the bytes written.
std::uint64_t fill_up(const fs::path& file) {
  std::ofstream out(file, std::ios::binary);
  const std::string block(4096, 'f');
  std::uint64_t written = 0;
  while (out.write(block.data(), static_cast<std::streamsize>(block.size()))) {
    out.flush();
    if (!out) break;
    written += block.size();
  }
  return written;
}

}  // namespace

TEST_CASE("the disk full while caching a video (file size limit): a clear error, nothing partial, serving",
          "[recording_frames][exports][faults]") {
  scratch_dir dir;
  const auto cache = dir.path() / "cache";
  const auto temp = dir.path() / "tmp";
  fs::create_directories(temp);
  // Above the plugin's own size (the host stages a copy of it at start-up), below the video's.
  const std::uint64_t limit = fs::file_size(tracking_plugin()) + (256 << 10);
  FakePosthog fake;
  fake.set_export_polls_until_ready(0);
  fake.set_export_video(std::string(limit + (256 << 10), 'v'));  // never decoded: no write gets that far
  auto session = start_tracking(fake, cache, temp, limit);

  const auto ping = [&] { session->expect_ping_answered(); };
  const auto idle = mcpd_test::median_latency(ping);

  const auto error = call_error(*session, tool, {{"recording_id", "too-big-for-the-disk"}});
  INFO(error << "\n" << session->diagnostics());
  CHECK_THAT(error,
             Catch::Contains("cannot store the rendered video of recording \"too-big-for-the-disk\"") &&
                 Catch::Contains("File too large") &&
                 Catch::Contains("plugin_config.tracking.video_cache.dir"));
  CHECK_THAT(session->diagnostics(),
             Catch::Contains("video cache: ") && Catch::Contains("downloading it again to a temporary file"));
  // Rendered once, downloaded twice (cache, then the temporary directory), kept nowhere.
  CHECK(fake.request_count(kExports) == 1);
  CHECK(fake.request_count(kExportDownload) == 2);
  const auto left = files_in(cache);
  CHECK(left.videos == 0);
  CHECK(left.staged == 0);
  CHECK(temporary_videos(temp) == 0);

  // A well-behaved client pings while calls fail that way, one more started before every third ping: each
  // downloads its video twice, and this process's fake PostHog serves them on the same 2 cores, so one per
  // ping would measure the test's own load rather than the fault.
  std::vector<json::value> failing;
  const auto figures = mcpd_test::measure_under_fault(
      "disk full while caching a video (RLIMIT_FSIZE)", idle, [&, n = 0]() mutable {
        if (n++ % 3 == 0)
          failing.push_back(session->send_request(
              "tools/call", {{"name", tool}, {"arguments", {{"recording_id", "too-big-for-the-disk"}}}}));
        ping();
      });
  INFO(figures);
  CHECK(figures.within_bound());
  for (const auto& id : failing) {
    const auto response = session->await_response(id, 30s);
    CHECK_THAT(error_text(response), Catch::Contains("File too large"));
  }
  CHECK(files_in(cache).videos == 0);
  CHECK(files_in(cache).staged == 0);
  CHECK(temporary_videos(temp) == 0);

  // The host keeps serving, and a video that fits is cached whole.
  fake.set_export_video(
      file_bytes(colour_video(dir.path(), "small.mp4", {{"red", 1}}, 160, 120, 10, h264(10))));
  const auto frames = call_ok(*session, tool, {{"recording_id", "fits"}});
  CHECK(frames.at("source").at("cached") == false);
  CHECK(frames.at("frames").as_array().size() == 1);
  CHECK(files_in(cache).videos == 1);
  CHECK(call_ok(*session, tool, {{"recording_id", "fits"}}).at("source").at("cached") == true);
  CHECK_FALSE(session->process().wait_exit(0ms).has_value());  // still running: nothing crashed
}

TEST_CASE("the video cache's file system full (tmpfs, as root): the call answers from a temporary file",
          "[recording_frames][exports][faults]") {
  scratch_dir dir;
  const auto cache = dir.path() / "cache";
  const auto temp = dir.path() / "tmp";
  fs::create_directories(temp);
  small_tmpfs full(cache, "256k");
  if (!full.mounted()) {
    WARN("no tmpfs for the cache (" << full.why_not()
                                    << "): the ENOSPC case is left to the RLIMIT_FSIZE test");
    return;
  }
  const auto video =
      colour_video(dir.path(), "render.mp4", {{"red", 1}, {"blue", 1}}, 160, 120, 10, h264(10));
  FakePosthog fake;
  fake.set_export_polls_until_ready(0);
  fake.set_export_video(file_bytes(video));
  auto session = start_tracking(fake, cache, temp);
  const auto ping = [&] { session->expect_ping_answered(); };
  const auto idle = mcpd_test::median_latency(ping);
  const auto filled = fill_up(cache / "filler");
  INFO("filled " << filled << " bytes of the cache's tmpfs");
  REQUIRE(filled > 0);

  const auto frames = call_ok(*session, tool, {{"recording_id", "no-room-in-the-cache"}});
  INFO(session->diagnostics());
  CHECK(frames.at("source").at("cached") == false);
  CHECK(frames.at("frames").as_array().size() == 2);
  CHECK_THAT(session->diagnostics(), Catch::Contains("No space left on device"));
  CHECK(files_in(cache).videos == 0);
  CHECK(files_in(cache).staged == 0);
  CHECK(temporary_videos(temp) == 0);  // the temporary copy was removed after the call

  // One more call before every third ping, as above.
  std::vector<json::value> calls;
  const auto figures = mcpd_test::measure_under_fault(
      "disk full while caching a video (full tmpfs)", idle, [&, n = 0]() mutable {
        if (n++ % 3 == 0)
          calls.push_back(session->send_request(
              "tools/call", {{"name", tool}, {"arguments", {{"recording_id", "no-room-in-the-cache"}}}}));
        ping();
      });
  INFO(figures);
  CHECK(figures.within_bound());
  for (const auto& id : calls) {
    const auto response = session->await_response(id, 30s);
    CHECK(error_text(response).empty());
  }
  CHECK(files_in(cache).videos == 0);
  CHECK(files_in(cache).staged == 0);

  // Room again: the next download is cached.
  fs::remove(cache / "filler");
  CHECK(call_ok(*session, tool, {{"recording_id", "no-room-in-the-cache"}}).at("source").at("cached") ==
        false);
  CHECK(files_in(cache).videos == 1);
  CHECK(call_ok(*session, tool, {{"recording_id", "no-room-in-the-cache"}}).at("source").at("cached") ==
        true);
}
