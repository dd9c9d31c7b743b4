#pragma once
// Where replaced plugin versions go to die. When the last reference to a
// LoadedPlugin drops (the last call on an old version returned, usually on a
// worker thread), the plugin is handed to this thread instead of being
// destroyed there: on_shutdown may take its time, and a worker must not stall
// on it. The reaper destroys it (on_shutdown, then dlclose) and checks with
// dlopen(path, RTLD_NOLOAD) that the library really left the process.
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "loader/plugin_library.hpp"

namespace mcpd::hotswap {

struct UnloadOutcome {
  std::string plugin_namespace;
  std::string version;
  std::filesystem::path file;         // the operator's file
  std::filesystem::path loaded_from;  // what was dlopen()ed
  bool unloaded = false;              // RTLD_NOLOAD found nothing afterwards
};

// True when a library with exactly this path is mapped in the process.
bool library_resident(const std::filesystem::path& loaded_from);

class Reaper : public std::enable_shared_from_this<Reaper> {
 public:
  using Reported = std::function<void(const UnloadOutcome&)>;
  static std::shared_ptr<Reaper> start(Reported reported);
  ~Reaper();

  // The disposal function for loader::HostHooks::dispose. Once the reaper has
  // stopped (or is gone), plugins are destroyed on the calling thread.
  std::function<void(loader::LoadedPlugin*)> dispose_function();

  // Destroys what is queued, then ends the thread. Idempotent. Nothing is
  // reported after stop() returns.
  void stop();
  // Blocks until the queue is empty and nothing is being destroyed; false on timeout.
  bool wait_idle(std::chrono::milliseconds timeout);

 private:
  explicit Reaper(Reported reported) : reported_(std::move(reported)) {}
  void enqueue(loader::LoadedPlugin* plugin);
  void run();

  Reported reported_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<loader::LoadedPlugin*> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  bool stopped_ = false;
  std::thread thread_;
};

// Destroys `plugin` and checks the unload; what the reaper does for each one.
UnloadOutcome destroy_and_verify(loader::LoadedPlugin* plugin);

}  // namespace mcpd::hotswap
