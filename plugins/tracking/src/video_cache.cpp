#include "video_cache.hpp"

#include "util/private_file.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <system_error>
#include <vector>

#include <openssl/evp.h>

namespace mcpd::tracking {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view video_suffix = ".mp4";

// A staged download untouched for this long belongs to no running call: any live download writes more
// often than its read timeout, which is at most minutes.
constexpr auto abandoned_download_age = std::chrono::hours(24);

void make_private_dir(const fs::path& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw std::runtime_error("cannot create the video cache directory: " + error.message());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, error);
}

}  // namespace

video_cache::video_cache(fs::path dir, std::uint64_t max_bytes)
    : dir_(std::move(dir)), max_bytes_(max_bytes) {}

fs::path video_cache::default_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
    return fs::path(xdg) / "mcpd" / "videos";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/') {
    return fs::path(home) / ".cache" / "mcpd" / "videos";
  }
  return fs::temp_directory_path() / "mcpd-videos";
}

std::string video_cache::key(std::initializer_list<std::string_view> parts) {
  std::string joined;
  for (auto part : parts) {
    joined.append(part);
    joined.push_back('\n');
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(joined.data(), joined.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string text;
  for (unsigned int i = 0; i < length; ++i) {
    text.push_back(hex[digest[i] >> 4]);
    text.push_back(hex[digest[i] & 15]);
  }
  return text;
}

std::vector<video_cache::entry> video_cache::entries_for(std::string_view key) const {
  std::vector<entry> found;
  std::error_code error;
  const std::string prefix = std::string(key) + ".";
  for (const auto& item : fs::directory_iterator(dir_, error)) {
    const std::string name = item.path().filename().string();
    if (!name.starts_with(prefix) || !name.ends_with(video_suffix)) continue;
    entry cached{item.path(), std::nullopt};
    // "<key>.mp4" (before render times were kept) has none; "<key>.<ms>.mp4" has one. The dot of the
    // prefix is the suffix's own dot in the first form, so the forms are told apart by length.
    if (name.size() > prefix.size() + video_suffix.size()) {
      const std::string middle =
          name.substr(prefix.size(), name.size() - prefix.size() - video_suffix.size());
      std::int64_t ms = 0;
      const auto [end, failure] = std::from_chars(middle.data(), middle.data() + middle.size(), ms);
      if (failure != std::errc() || end != middle.data() + middle.size()) continue;  // not ours
      cached.rendered_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
    } else if (name.size() != std::string(key).size() + video_suffix.size()) {
      continue;  // "<key>..mp4" or similar: not ours
    }
    found.push_back(std::move(cached));
  }
  std::sort(found.begin(), found.end(),
            [](const entry& a, const entry& b) { return a.rendered_at > b.rendered_at; });
  return found;
}

std::optional<video_cache::entry> video_cache::find(std::string_view key) {
  if (!enabled()) return std::nullopt;
  std::lock_guard lock(mutex_);
  for (auto& cached : entries_for(key)) {
    std::error_code error;
    if (!fs::is_regular_file(cached.file, error) || fs::file_size(cached.file, error) == 0) continue;
    fs::last_write_time(cached.file, fs::file_time_type::clock::now(), error);  // used: last for eviction
    return std::move(cached);
  }
  return std::nullopt;
}

fs::path video_cache::staging_path(std::string_view key) {
  std::lock_guard lock(mutex_);
  make_private_dir(dir_);
  return dir_ / (std::string(key) + ".part" + std::to_string(std::random_device{}()) +
                 std::to_string(std::random_device{}()));
}

fs::path video_cache::adopt(std::string_view key, const fs::path& staged,
                            std::chrono::system_clock::time_point rendered_at) {
  std::lock_guard lock(mutex_);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(rendered_at.time_since_epoch()).count();
  const fs::path file = dir_ / (std::string(key) + "." + std::to_string(ms) + std::string(video_suffix));
  const auto older = entries_for(key);
  std::error_code error;
  fs::rename(staged, file, error);
  if (error) throw std::runtime_error("cannot move a video into the cache (" + error.message() + ")");
  for (const auto& replaced : older) {
    if (replaced.file != file) fs::remove(replaced.file, error);
  }
  evict_beyond_cap(file);
  return file;
}

fs::path video_cache::store(std::string_view key, std::string_view bytes,
                            std::chrono::system_clock::time_point rendered_at) {
  const fs::path staged = staging_path(key);
  private_file_writer file(staged);
  try {
    file.append(bytes);
    file.keep();
  } catch (const std::runtime_error& failure) {
    throw std::runtime_error(std::string("cannot write to the video cache directory (") + failure.what() +
                             ")");
  }
  try {
    return adopt(key, staged, rendered_at);
  } catch (...) {
    fs::remove(staged);
    throw;
  }
}

void video_cache::evict_beyond_cap(const fs::path& keep) {
  struct entry {
    fs::path path;
    std::uint64_t size;
    fs::file_time_type used;
  };
  std::vector<entry> entries;
  std::uint64_t total = 0;
  std::error_code error;
  const auto abandoned_before = fs::file_time_type::clock::now() - abandoned_download_age;
  for (const auto& item : fs::directory_iterator(dir_, error)) {
    if (!item.is_regular_file(error)) continue;
    if (item.path().extension().string().starts_with(".part")) {
      // A download that a killed process left behind (a live one is written to all the time).
      if (item.last_write_time(error) < abandoned_before) fs::remove(item.path(), error);
      continue;
    }
    if (item.path().extension() != video_suffix) continue;
    const auto size = item.file_size(error);
    total += size;
    entries.push_back({item.path(), size, item.last_write_time(error)});
  }
  std::sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) { return a.used < b.used; });
  for (const auto& old : entries) {
    if (total <= max_bytes_) break;
    if (old.path == keep) continue;  // the video being used now stays, even when it alone is over the cap
    if (fs::remove(old.path, error)) total -= old.size;
  }
}

}  // namespace mcpd::tracking
