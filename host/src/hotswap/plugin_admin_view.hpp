#pragma once
// What operators see of the plugin manager: the state behind GET
// /admin/plugins (`mcpd plugin list`) and the mcpd_plugin_* metrics. The
// manager copies its state into a PluginAdminView under its lock; formatting
// happens here, outside it.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hotswap/reload_report.hpp"

namespace mcpd::hotswap {

struct ServingPlugin {
  std::string plugin_namespace, version;
  std::filesystem::path file, loaded_from;
  std::string sha256, signature;
  std::chrono::system_clock::time_point loaded_at;
  int calls_in_flight = 0;
  int stuck_calls = 0;  // see loader::PluginHealth
  std::uint64_t calls_over_deadline = 0;
};

struct RetiredPlugin {
  std::string plugin_namespace, version;
  std::filesystem::path file, loaded_from;
  std::chrono::system_clock::time_point retired_at;
  int calls_in_flight = 0;
  bool unloadable = true;  // false once dlclose left it mapped
  int stuck_calls = 0;
};

struct PluginAdminView {
  std::uint64_t generation = 0;
  bool hot_swap = false;  // a staging area is available
  std::string staging_dir, staging_problem;
  bool require_signed = false;
  std::vector<std::string> trusted_key_ids;
  std::vector<ServingPlugin> serving;
  std::vector<RetiredPlugin> retired;
  std::vector<Refusal> refused;
  std::vector<std::pair<std::filesystem::path, std::string>> waiting;  // file, why
  std::vector<std::string> warnings;                                   // duplicate namespaces, files skipped
  unsigned max_retired_resident = 0;
  std::uint64_t unloads_total = 0, unload_failures_total = 0, refusals_total = 0;
  std::map<std::pair<std::string, std::string>, std::uint64_t> reloads_total;  // (trigger, outcome)
  std::optional<ReloadReport> last_reload;
};

boost::json::object plugin_state_json(const PluginAdminView& view);
std::string plugin_metrics_text(const PluginAdminView& view);

}  // namespace mcpd::hotswap
