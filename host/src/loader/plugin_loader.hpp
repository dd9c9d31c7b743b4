#pragma once
// Which files the configuration names as plugins: the files given one by one,
// then the *.so files of the plugins directories. Loading them is the plugin
// manager's job (hotswap/plugin_manager.hpp).
#include <filesystem>
#include <vector>

#include "registry/registry_snapshot.hpp"

namespace mcpd::loader {

// `files`, then the *.so files of `directories` (sorted by name, so load order
// is stable). `problems`: a configured file or directory that is missing or
// unreadable. `skipped`: a *.so entry of a directory that cannot be followed
// (a looping symbolic link): left out with its reason, the others are found.
std::vector<std::filesystem::path> discover_plugin_files(
    const std::vector<std::filesystem::path>& directories, const std::vector<std::filesystem::path>& files,
    std::vector<registry::RefusedPlugin>& problems, std::vector<registry::RefusedPlugin>& skipped);

}  // namespace mcpd::loader
