#include "loader/plugin_loader.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "log/logger.hpp"

namespace mcpd::loader {
namespace fs = std::filesystem;
namespace json = boost::json;

std::vector<fs::path> discover_plugin_files(const std::vector<fs::path>& directories,
                                            const std::vector<fs::path>& files,
                                            std::vector<registry::RefusedPlugin>& problems) {
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
      if (name.ends_with(".so") && !name.starts_with(".") && entry.is_regular_file())
        found.push_back(entry.path());
    }
    if (ec) problems.push_back({dir, "cannot list plugins directory: " + ec.message()});
    std::sort(found.begin(), found.end());
    for (const auto& f : found) add(f);
  }
  return out;
}

LoadReport load_plugins(const config::Config& config, const HostHooks& hooks) {
  LoadReport report;
  auto refuse = [&](const fs::path& path, std::string reason) {
    log::error("plugin refused", {{"file", path.string()}, {"reason", reason}});
    report.refused.push_back({path, std::move(reason)});
  };

  std::vector<registry::RefusedPlugin> problems;
  auto paths = discover_plugin_files(config.plugins.directories, config.plugins.files, problems);
  for (auto& p : problems) refuse(p.path, p.reason);

  std::vector<std::shared_ptr<LoadedPlugin>> loaded;
  std::map<std::string, fs::path> namespaces;
  for (const auto& path : paths) {
    std::string error;
    auto library = NegotiatedLibrary::open(path, error);
    if (!library) {
      refuse(path, error);
      continue;
    }
    const std::string ns = library->info().plugin_namespace;
    if (auto it = namespaces.find(ns); it != namespaces.end()) {
      refuse(path, "namespace \"" + ns + "\" is already provided by " + it->second.string());
      continue;
    }
    json::object section;
    if (auto it = config.plugin_config.find(ns); it != config.plugin_config.end() && it->value().is_object())
      section = it->value().get_object();
    if (!library->info().config_schema.is_null()) {
      auto check = config::check_plugin_section(ns, section, library->info().config_schema);
      for (const auto& w : check.unknown_keys) log::warn(w, {{"plugin", ns}});
      // Invalid settings do not stop the plugin: its tools name what to fix.
      for (const auto& e : check.errors) log::warn(e, {{"plugin", ns}});
    }
    auto plugin = LoadedPlugin::start(std::move(library), section, hooks, error);
    if (!plugin) {
      refuse(path, error);
      continue;
    }
    namespaces.emplace(ns, path);
    loaded.push_back(std::move(plugin));
  }

  auto built = registry::RegistrySnapshot::build(loaded, config.server.tool_name_separator);
  for (auto& r : built.refused) refuse(r.path, r.reason);
  for (const auto& p : built.snapshot->plugins()) {
    const auto& info = p->info();
    log::info("plugin loaded", {{"namespace", info.plugin_namespace},
                                {"version", info.version},
                                {"file", info.path.string()},
                                {"tools", std::to_string(p->registrations().tools.size())}});
  }
  report.snapshot = std::move(built.snapshot);
  return report;
}

}  // namespace mcpd::loader
