#pragma once
// Where the current RegistrySnapshot is published: a reload stores a new one while requests load theirs.
//
// A mutex around a shared_ptr rather than std::atomic<std::shared_ptr>: libstdc++ 12 implements the latter
// with a lock bit inside the control-block pointer that ThreadSanitizer cannot see, so every publish raced
// with every snapshot in its reports, hiding real races behind false ones. The critical section is one
// reference-count increment; a request takes it once, and publication happens only on reloads.
#include <memory>
#include <mutex>
#include <utility>

#include "registry/registry_snapshot.hpp"

namespace mcpd::registry {

class SnapshotSlot {
 public:
  std::shared_ptr<const RegistrySnapshot> load() const {
    std::lock_guard lock(mutex_);
    return current_;
  }

  void store(std::shared_ptr<const RegistrySnapshot> snapshot) {
    // The previous snapshot is released outside the lock: its last reference may unload a plugin.
    std::shared_ptr<const RegistrySnapshot> previous;
    {
      std::lock_guard lock(mutex_);
      previous = std::exchange(current_, std::move(snapshot));
    }
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const RegistrySnapshot> current_;
};

}  // namespace mcpd::registry
