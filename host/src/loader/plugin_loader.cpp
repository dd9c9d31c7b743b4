#include "loader/plugin_loader.hpp"

#include <algorithm>
#include <set>

namespace mcpd::loader {
namespace fs = std::filesystem;

std::vector<fs::path> discover_plugin_files(const std::vector<fs::path>& directories,
                                            const std::vector<fs::path>& files,
                                            std::vector<registry::RefusedPlugin>& problems,
                                            std::vector<registry::RefusedPlugin>& skipped) {
  std::vector<fs::path> out;
  std::set<fs::path> seen;
  auto add = [&](const fs::path& p) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(p, ec);
    if (ec) canonical = p;
    if (seen.insert(canonical).second) out.push_back(p);
  };
  // Files named one by one come first: an explicitly chosen plugin wins a
  // namespace over one that merely sits in a scanned directory.
  for (const auto& f : files) {
    std::error_code ec;
    if (!fs::is_regular_file(f, ec)) {
      problems.push_back({f, "plugin file does not exist or is not a regular file"});
      continue;
    }
    add(f);
  }
  for (const auto& dir : directories) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      problems.push_back({dir, "plugins directory does not exist or is not a directory"});
      continue;
    }
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      // Hidden names are deployments in progress (write .x.so, then rename): the watch ignores them too.
      const std::string name = entry.path().filename().string();
      if (!name.ends_with(".so") || name.starts_with(".")) continue;
      // The error_code form: a symbolic link that loops or dangles must cost
      // this one file, not the whole scan (the throwing form ended `serve`).
      std::error_code entry_ec;
      const bool regular = entry.is_regular_file(entry_ec);
      if (regular) {
        found.push_back(entry.path());
      } else if (entry_ec) {
        skipped.push_back({entry.path(), "cannot follow it (" + entry_ec.message() +
                                             "): a broken or looping symbolic link? Remove it or point "
                                             "it at a plugin file"});
      }
    }
    if (ec) problems.push_back({dir, "cannot list plugins directory: " + ec.message()});
    std::sort(found.begin(), found.end());
    for (const auto& f : found) add(f);
  }
  return out;
}

}  // namespace mcpd::loader
