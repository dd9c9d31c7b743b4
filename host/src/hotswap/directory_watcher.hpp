#pragma once
// inotify on the plugin directories. It tells the reload triggers two things:
// that something happened to a plugin file (so a debounced reload is due), and
// which plugin files are being written right now (modified and not closed
// yet), so that a reload leaves those alone until they are
// complete. The deployment that never exposes a partial file is write-then-
// rename: write .name.so.tmp (ignored: not *.so) and rename it to name.so.
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "hotswap/plugin_manager.hpp"

namespace mcpd::hotswap {

class DirectoryWatcher {
 public:
  // Throws std::runtime_error when inotify is unavailable.
  DirectoryWatcher();
  ~DirectoryWatcher();
  DirectoryWatcher(const DirectoryWatcher&) = delete;
  DirectoryWatcher& operator=(const DirectoryWatcher&) = delete;

  int fd() const { return fd_; }
  // Adds a watch for every target not watched yet (a directory that does not
  // exist yet is tried again at the next call).
  // True when every target is watched now (nothing left to retry).
  bool watch(const std::vector<WatchTarget>& targets);
  // Drains pending events. True when one concerned a plugin file or a
  // signature beside one (or events were lost): a reload is due.
  bool read_events();
  std::set<std::filesystem::path> being_written() const;

 private:
  struct Watched {
    WatchTarget target;
    std::filesystem::path directory;
  };
  bool relevant(const WatchTarget& target, const std::string& name) const;

  int fd_ = -1;
  std::map<int, Watched> watches_;  // watch descriptor -> what it watches
  mutable std::mutex mutex_;
  std::set<std::filesystem::path> writing_;
};

}  // namespace mcpd::hotswap
