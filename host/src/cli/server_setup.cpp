#include "cli/server_setup.hpp"

#include "tasks/task_settings.hpp"

#include <unistd.h>

#include <algorithm>

#include "log/logger.hpp"

namespace mcpd::cli {
namespace fs = std::filesystem;

CommonOptions parse_common_options(const std::vector<std::string>& args,
                                   const std::vector<std::string>& allowed_flags) {
  CommonOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string_view option) -> std::string {
      if (i + 1 >= args.size()) throw UsageError(std::string(option) + " needs a value");
      return args[++i];
    };
    if (a == "--config")
      o.config_file = value(a);
    else if (a == "--plugins-dir")
      o.plugin_dirs.emplace_back(value(a));
    else if (a == "--plugin")
      o.plugin_files.emplace_back(value(a));
    else if (a == "--log-level")
      o.log_level = value(a);
    else if (std::find(allowed_flags.begin(), allowed_flags.end(), a) != allowed_flags.end())
      o.flags.push_back(a);
    else if (a.size() > 1 && a[0] == '-' && a != "-")
      throw UsageError("unknown option \"" + a + "\" (see mcpd --help)");
    else
      o.positional.push_back(a);
  }
  return o;
}

fs::path default_plugins_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "plugins";
  fs::path build_tree = exe.parent_path().parent_path() / "plugins";
  if (fs::is_directory(build_tree, ec)) return build_tree;
  return exe.parent_path().parent_path() / "lib" / "mcpd" / "plugins";
}

config::Config effective_config(const CommonOptions& options, std::string_view default_log_level) {
  auto env = config::process_environment();
  config::Config config = config::load(options.config_file, env);
  // The command line wins over the file and the environment.
  if (!options.plugin_dirs.empty()) config.plugins.directories = options.plugin_dirs;
  for (const auto& f : options.plugin_files) config.plugins.files.push_back(f);
  // Extra --plugin files come on top of the default directory, not instead of it. (MCPD_PLUGINS_DIR,
  // when set and not empty, has already filled the directories.)
  if (config.plugins.directories.empty()) config.plugins.directories.push_back(default_plugins_dir());

  std::string level = options.log_level.value_or("");
  if (level.empty()) {
    // MCPD_LOG_LEVEL, when set and not empty, is in config.raw like the file's own value.
    bool level_configured = false;
    if (auto server = config.raw.find("server"); server != config.raw.end() && server->value().is_object())
      level_configured = server->value().get_object().contains("log_level");
    level = level_configured ? config.server.log_level : std::string(default_log_level);
  }
  auto parsed = log::parse_level(level);
  if (!parsed)
    throw config::ConfigError(
        "log level \"" + level +
        "\" is not one of debug, info, notice, warning, error, critical, alert, emergency");
  log::set_threshold(*parsed);
  for (const auto& w : config.warnings) log::warn(w);
  return config;
}

Server start_server(const config::Config& config) {
  protocol::SessionSettings settings;
  settings.server_name = config.server.name;
  settings.instructions = config.server.instructions;
  settings.page_size = config.server.page_size;
  settings.call_timeout = std::chrono::milliseconds(config.server.call_timeout_ms);
  settings.quick_call = std::chrono::microseconds(config.server.quick_call_us);
  settings.max_subscriptions = config.server.max_subscriptions_per_session;
  settings.max_subscription_uri_bytes = config.server.max_subscription_uri_bytes;
  settings.cache.lists = std::chrono::milliseconds(config.server.list_cache_ttl_ms);
  settings.cache.resources = std::chrono::milliseconds(config.server.resource_cache_ttl_ms);
  Server server;
  server.context = std::make_unique<protocol::ServerContext>(
      config.server.worker_threads, std::chrono::milliseconds(config.server.client_request_timeout_ms),
      std::move(settings), config.server.max_abandoned_workers);
  auto* context = server.context.get();
  // Tasks and multi round-trip states: what a fleet must share (docs/scaling.md).
  const auto task_config = tasks::parse_task_config(config, config::process_environment());
  try {
    context->use_task_store(tasks::make_task_store(task_config.store), task_config.settings);
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(std::string("tasks.store (or MCPD_TASKS_STORE): ") + e.what());
  }
  const auto& key = config.server.request_state_key;
  context->seal = std::make_unique<mrtr::StateSeal>(
      key.empty() ? mrtr::StateSeal::random_key() : mrtr::StateSeal::decode_key(key),
      std::chrono::seconds(config.server.request_state_ttl_s));
  if (key.empty() && task_config.store != "memory")
    log::warn(
        "tasks are shared through a store, but server.request_state_key is not set: each instance seals "
        "requestState with its own random key, so a retry that lands on another instance is refused; set "
        "the same key (MCPD_REQUEST_STATE_KEY) on every instance");
  log::info("tasks", {{"store", context->tasks->describe_store()}, {"instance", context->tasks->instance()}});
  loader::HostHooks hooks;
  hooks.notify_resource_updated = [context](std::string_view uri) {
    context->hub.notify_resource_updated(uri);
  };
  server.plugins = std::make_shared<hotswap::PluginManager>(*context, config, std::move(hooks));
  hotswap::PluginManager::Trigger startup;
  startup.name = "startup";
  startup.full = true;
  auto report = server.plugins->reload(startup);
  for (auto& r : report.refused) server.refused.push_back({r.file, r.reason});
  server.context->plugin_admin = server.plugins;
  return server;
}

}  // namespace mcpd::cli
