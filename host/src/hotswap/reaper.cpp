#include "hotswap/reaper.hpp"

#include <dlfcn.h>

#include "log/logger.hpp"

namespace mcpd::hotswap {

bool library_resident(const std::filesystem::path& loaded_from) {
  void* handle = ::dlopen(loaded_from.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (handle == nullptr) return false;
  ::dlclose(handle);  // NOLOAD still took a reference; give it back
  return true;
}

UnloadOutcome destroy_and_verify(loader::LoadedPlugin* plugin) {
  UnloadOutcome outcome;
  outcome.plugin_namespace = plugin->info().plugin_namespace;
  outcome.version = plugin->info().version;
  outcome.file = plugin->info().path;
  outcome.loaded_from = plugin->info().loaded_from;
  delete plugin;  // on_shutdown, then dlclose
  outcome.unloaded = !library_resident(outcome.loaded_from);
  if (outcome.unloaded) {
    log::debug("plugin version unloaded", {{"namespace", outcome.plugin_namespace},
                                           {"version", outcome.version},
                                           {"file", outcome.file.string()}});
  } else {
    // Typical causes: STB_GNU_UNIQUE symbols (build with -fno-gnu-unique),
    // thread_local objects with destructors, or RTLD_NODELETE.
    log::warn("plugin version could not be unloaded: its library is still mapped after dlclose",
              {{"namespace", outcome.plugin_namespace},
               {"version", outcome.version},
               {"file", outcome.file.string()},
               {"hint", "build the plugin with -fno-gnu-unique and without thread_local destructors"}});
  }
  return outcome;
}

std::shared_ptr<Reaper> Reaper::start(Reported reported) {
  auto reaper = std::shared_ptr<Reaper>(new Reaper(std::move(reported)));
  reaper->thread_ = std::thread([raw = reaper.get()] { raw->run(); });
  return reaper;
}

Reaper::~Reaper() {
  stop();
}

std::function<void(loader::LoadedPlugin*)> Reaper::dispose_function() {
  return [weak = weak_from_this()](loader::LoadedPlugin* plugin) {
    if (auto self = weak.lock()) return self->enqueue(plugin);
    destroy_and_verify(plugin);
  };
}

void Reaper::enqueue(loader::LoadedPlugin* plugin) {
  {
    std::lock_guard lock(mutex_);
    if (!stopped_) {
      queue_.push_back(plugin);
      wake_.notify_one();
      return;
    }
  }
  destroy_and_verify(plugin);
}

void Reaper::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stopping, and nothing left to destroy
    loader::LoadedPlugin* plugin = queue_.front();
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    UnloadOutcome outcome = destroy_and_verify(plugin);
    if (reported_) reported_(outcome);
    lock.lock();
    busy_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
  stopped_ = true;
  idle_.notify_all();
}

void Reaper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) {
    if (thread_.get_id() == std::this_thread::get_id())
      thread_.detach();  // cannot join itself; it exits after this plugin
    else
      thread_.join();
  }
  std::lock_guard lock(mutex_);
  stopped_ = true;
}

bool Reaper::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return queue_.empty() && !busy_; });
}

}  // namespace mcpd::hotswap
