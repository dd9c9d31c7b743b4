#include "hotswap/directory_watcher.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "log/logger.hpp"

namespace mcpd::hotswap {
namespace fs = std::filesystem;

namespace {

constexpr uint32_t kDirectoryEvents = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
                                      IN_DELETE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

}  // namespace

DirectoryWatcher::DirectoryWatcher() : fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
  if (fd_ < 0) throw std::runtime_error(std::string("inotify is unavailable: ") + std::strerror(errno));
}

DirectoryWatcher::~DirectoryWatcher() {
  if (fd_ >= 0) ::close(fd_);
}

bool DirectoryWatcher::watch(const std::vector<WatchTarget>& targets) {
  bool complete = true;
  for (const auto& target : targets) {
    bool known = false;
    for (const auto& [wd, w] : watches_) known = known || w.directory == target.directory;
    if (known) continue;
    const int wd = ::inotify_add_watch(fd_, target.directory.c_str(), kDirectoryEvents);
    if (wd < 0) {
      log::debug("cannot watch a plugins directory yet",
                 {{"directory", target.directory.string()}, {"error", std::strerror(errno)}});
      complete = false;
      continue;
    }
    watches_[wd] = Watched{target, target.directory};
  }
  return complete;
}

bool DirectoryWatcher::relevant(const WatchTarget& target, const std::string& name) const {
  std::string plugin_name = name;
  if (plugin_name.ends_with(".sig")) plugin_name.resize(plugin_name.size() - 4);
  if (target.file_names.count(plugin_name) != 0) return true;
  return target.every_plugin && plugin_name.ends_with(".so") && !plugin_name.starts_with(".");
}

bool DirectoryWatcher::read_events() {
  bool due = false;
  alignas(inotify_event) char buffer[16384];
  for (;;) {
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (char* p = buffer; p < buffer + n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(p);
      p += sizeof(inotify_event) + event->len;
      if ((event->mask & IN_Q_OVERFLOW) != 0) {
        // Events were lost: nobody knows what is half written any more; the
        // completeness checks of the reload still apply.
        std::lock_guard lock(mutex_);
        writing_.clear();
        due = true;
        continue;
      }
      auto watched = watches_.find(event->wd);
      if (watched == watches_.end()) continue;
      if ((event->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) != 0) {
        // The directory itself went away: its plugins go too; watched again
        // when it comes back.
        if ((event->mask & IN_IGNORED) != 0) watches_.erase(watched);
        due = true;
        continue;
      }
      if (event->len == 0) continue;
      const std::string name(event->name);
      if (!relevant(watched->second.target, name)) continue;
      const fs::path path = watched->second.directory / name;
      if ((event->mask & IN_ISDIR) != 0) continue;
      std::lock_guard lock(mutex_);
      if ((event->mask & IN_MODIFY) != 0) {
        writing_.insert(path);  // written to and not closed yet: not taken until it is
        continue;
      }
      // Created (a link, or an empty file about to be written: the reload sees
      // it is incomplete), closed after writing, renamed, deleted, chmod'ed.
      if ((event->mask & IN_CREATE) == 0) writing_.erase(path);
      due = true;
    }
  }
  return due;
}

std::set<fs::path> DirectoryWatcher::being_written() const {
  std::lock_guard lock(mutex_);
  return writing_;
}

}  // namespace mcpd::hotswap
