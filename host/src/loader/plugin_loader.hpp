#pragma once
// Loads every plugin named by the configuration (directories and files), each
// with its own config section, and builds the registry snapshot. A plugin that
// cannot be used is refused with a log line naming the file and the reason;
// the others keep serving.
#include <filesystem>
#include <memory>
#include <vector>

#include "config/config.hpp"
#include "loader/plugin_library.hpp"
#include "registry/registry_snapshot.hpp"

namespace mcpd::loader {

struct LoadReport {
  std::shared_ptr<const registry::RegistrySnapshot> snapshot;
  std::vector<registry::RefusedPlugin> refused;
};

// `files`, then the *.so files of `directories` (sorted by name, so load order
// is stable).
std::vector<std::filesystem::path> discover_plugin_files(
    const std::vector<std::filesystem::path>& directories, const std::vector<std::filesystem::path>& files,
    std::vector<registry::RefusedPlugin>& problems);

LoadReport load_plugins(const config::Config& config, const HostHooks& hooks);

}  // namespace mcpd::loader
