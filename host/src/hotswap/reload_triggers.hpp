#pragma once
// What makes `mcpd serve` reload its plugins without a restart: a change in a
// watched plugin directory (debounced: a reload runs once the directory has
// been quiet for debounce_ms, or at the latest after kMaxDebounceDelay of
// continuous activity) and SIGHUP (every file read again). The admin endpoint
// calls PluginManager directly. One thread serves both; reloads themselves
// are serialised by the manager.
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "hotswap/directory_watcher.hpp"
#include "hotswap/plugin_manager.hpp"

namespace mcpd::hotswap {

class ReloadTriggers {
 public:
  static constexpr std::chrono::milliseconds kMaxDebounceDelay{2000};

  ReloadTriggers(PluginManager& manager, bool watch, std::chrono::milliseconds debounce);
  ~ReloadTriggers();
  ReloadTriggers(const ReloadTriggers&) = delete;
  ReloadTriggers& operator=(const ReloadTriggers&) = delete;

  // Blocks SIGHUP in the calling thread and so in every thread it starts
  // afterwards. Call it before any thread exists: SIGHUP then stays pending
  // until the triggers' thread reads it from a signalfd, synchronously, instead
  // of interrupting whichever thread the kernel picks. (A handler is installed
  // too, for a thread that runs with SIGHUP unblocked; ThreadSanitizer holds
  // such asynchronous signals back until that thread next enters the runtime,
  // which may be never.)
  static void block_reload_signal();

  // Installs the SIGHUP handler (one ReloadTriggers per process), opens the
  // signalfd and starts the thread. Without inotify, watching is skipped with
  // a warning.
  void start();
  // Stops the thread (a reload in progress finishes first) and restores SIGHUP.
  void stop();

 private:
  void run();

  PluginManager& manager_;
  const bool watch_;
  const std::chrono::milliseconds debounce_;
  std::unique_ptr<DirectoryWatcher> watcher_;
  int wake_fd_ = -1;    // eventfd: stop
  int signal_fd_ = -1;  // eventfd: SIGHUP arrived (written by the handler)
  int signalfd_ = -1;   // signalfd: SIGHUP pending while blocked (see block_reload_signal)
  bool handler_installed_ = false;
  std::thread thread_;
};

}  // namespace mcpd::hotswap
