#pragma once
// What `serve` and `call` share: command-line options common to both, the
// effective configuration, and a server context with its plugins loaded.
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "hotswap/plugin_manager.hpp"
#include "loader/plugin_loader.hpp"
#include "protocol/server_context.hpp"

namespace mcpd::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CommonOptions {
  std::optional<std::filesystem::path> config_file;
  std::vector<std::filesystem::path> plugin_dirs;   // --plugins-dir: replaces configured directories
  std::vector<std::filesystem::path> plugin_files;  // --plugin: added to configured files
  std::optional<std::string> log_level;
  std::vector<std::string> positional;
  std::vector<std::string> flags;  // accepted command-specific flags that were present (e.g. "--stdio")
};

// Throws UsageError for an unknown option or a missing value.
CommonOptions parse_common_options(const std::vector<std::string>& args,
                                   const std::vector<std::string>& allowed_flags);

// <exe>/../plugins in a build tree, else <exe>/../lib/mcpd/plugins.
std::filesystem::path default_plugins_dir();

// The configuration file and environment, then the command line on top. Sets
// the log threshold and logs every configuration warning. Throws
// config::ConfigError.
config::Config effective_config(const CommonOptions& options, std::string_view default_log_level = "info");

struct Server {
  std::unique_ptr<protocol::ServerContext> context;
  std::vector<registry::RefusedPlugin> refused;
  // Loads, and later swaps, the plugins; also the context's plugin_admin.
  std::shared_ptr<hotswap::PluginManager> plugins;
};
Server start_server(const config::Config& config);

}  // namespace mcpd::cli
