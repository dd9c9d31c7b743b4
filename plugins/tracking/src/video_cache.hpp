// VideoCache: rendered recording videos kept on disk, so a second recording_frames call (or
// ask_question_about_recording) does not make PostHog render again; renders are slow and count against a
// small monthly quota.
//
// One file per key (a SHA-256 of instance, host, recording and render parameters) in a private directory
// (0700), named <key>.<render time in Unix ms>.mp4: the name keeps when PostHog rendered it (a recording
// that was still going on then is incomplete), while the modification time records the last use. Files are
// written under a temporary name (staging_path, e.g. while downloading) and renamed (adopt), so a reader
// never sees half a video. Use refreshes a file's modification time; beyond max_bytes the least recently used
// files are evicted.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::tracking {

class video_cache {
 public:
  // max_bytes 0 disables the cache (find never hits, store is not called by users).
  video_cache(std::filesystem::path dir, std::uint64_t max_bytes);

  bool enabled() const noexcept { return max_bytes_ > 0; }

  struct entry {
    std::filesystem::path file;
    std::optional<std::chrono::system_clock::time_point> rendered_at;  // unknown for older cache files
  };

  // The cached video for `key`, marked as just used; nullopt on a miss.
  std::optional<entry> find(std::string_view key);

  // Where to write a new video for `key` before adopt(): a fresh name in the cache directory (created,
  // 0700), so the rename into place stays on one file system. Throws std::runtime_error.
  std::filesystem::path staging_path(std::string_view key);

  // Moves a complete video written at staging_path(key) into place under `key` (replacing an older render),
  // evicts older videos beyond the cap, and returns the file. Throws std::runtime_error, leaving `staged`
  // where it is.
  std::filesystem::path adopt(std::string_view key, const std::filesystem::path& staged,
                              std::chrono::system_clock::time_point rendered_at);

  // staging_path + write + adopt, for a video already in memory.
  std::filesystem::path store(std::string_view key, std::string_view bytes,
                              std::chrono::system_clock::time_point rendered_at);

  // $XDG_CACHE_HOME/mcpd/videos, else $HOME/.cache/mcpd/videos, else <temp>/mcpd-videos.
  static std::filesystem::path default_dir();

  // A file-name-safe key: hex SHA-256 of the parts joined with newlines.
  static std::string key(std::initializer_list<std::string_view> parts);

 private:
  void evict_beyond_cap(const std::filesystem::path& keep);
  // The files cached under `key`, newest render first. Caller holds mutex_.
  std::vector<entry> entries_for(std::string_view key) const;

  std::filesystem::path dir_;
  std::uint64_t max_bytes_;
  std::mutex mutex_;
};

}  // namespace mcpd::tracking
