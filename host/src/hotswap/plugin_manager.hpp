#pragma once
// The plugins mcpd serves, kept up to date while it serves. Every (re)load
// examines the configured files, stages the new or changed ones in a private
// directory, checks their signatures there, loads each beside the version it
// replaces, test-loads it in a child process (loader/load_probe.hpp), loads
// and negotiates it, plans who serves what (reload_plan.hpp), initialises
// what the plan starts with its config section, and only when all of that
// succeeded publishes one new registry snapshot. Calls already
// running keep the snapshot (and so the plugin versions) they started with;
// a replaced version is shut down and unloaded by the reaper after its last
// call. Anything that fails leaves the version that was serving in place.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "hotswap/plugin_admin_view.hpp"
#include "hotswap/plugin_file.hpp"
#include "hotswap/probe_verdicts.hpp"
#include "hotswap/reaper.hpp"
#include "hotswap/reload_plan.hpp"
#include "hotswap/reload_report.hpp"
#include "hotswap/staging_area.hpp"
#include "hotswap/waiting_file.hpp"
#include "loader/load_probe.hpp"
#include "loader/plugin_library.hpp"
#include "protocol/server_context.hpp"
#include "trust/ed25519.hpp"

namespace mcpd::hotswap {

// What a reload looks at in the file system: plugin directories (every *.so)
// and single files (only that name in its directory).
struct WatchTarget {
  std::filesystem::path directory;
  bool every_plugin = false;         // a plugins directory
  std::set<std::string> file_names;  // configured files in it
};

class PluginManager final : public protocol::PluginAdmin {
 public:
  using Clock = std::chrono::steady_clock;

  struct Trigger {
    std::string name;  // startup, watch, signal, admin
    Clock::time_point at = Clock::now();
    bool full = false;  // read every file again, even those whose stat is unchanged
  };

  // Throws config::ConfigError when a trusted key is malformed. A staging
  // directory that cannot be used is logged; plugins then load in place and
  // cannot be swapped (nor verified, when signatures are required).
  PluginManager(protocol::ServerContext& context, const config::Config& config, loader::HostHooks hooks);
  ~PluginManager() override;
  PluginManager(const PluginManager&) = delete;
  PluginManager& operator=(const PluginManager&) = delete;

  // One reload, serialised with every other. Publishes a snapshot when the
  // set of serving plugin versions changed (always on the first call), then
  // sends list_changed for each list that changed.
  ReloadReport reload(const Trigger& trigger);

  // protocol::PluginAdmin
  boost::json::object plugin_state() const override;
  boost::json::object reload_plugins(std::string_view trigger) override;
  std::string plugin_metrics() const override;

  std::vector<WatchTarget> watch_targets() const;
  // Files the watcher saw opened for writing and not closed yet; skipped by reloads.
  void set_write_tracker(std::function<std::set<std::filesystem::path>()> tracker);
  std::uint64_t generation() const;
  // When the earliest file waiting to be complete is due to be refused
  // (plugins.incomplete_file_timeout_ms); nullopt when none waits. The
  // reload triggers reload then, even if nothing else happens.
  std::optional<Clock::time_point> next_waiting_deadline() const;

  using Serving = ServingPlugin;
  using Retired = RetiredPlugin;
  std::vector<Serving> serving() const;
  std::vector<Retired> retired() const;
  std::vector<Refusal> refusals() const;  // files currently refused
  // Waits until every retired version without calls in flight is destroyed.
  bool wait_for_unloads(std::chrono::milliseconds timeout);

  // Test seam: runs after a file was staged and before its signature is
  // checked and it is loaded (to change the original in between).
  std::function<void(const std::filesystem::path& original, const std::filesystem::path& staged)>
      after_staging;

 private:
  // The version serving from one file.
  struct Slot {
    std::shared_ptr<loader::LoadedPlugin> plugin;
    FileIdentity identity;
    std::optional<FileIdentity> signature_identity;
    trust::Sha256 sha256{};
    std::string signature;
  };
  // The last refusal of a file (or directory), with the identity it had then:
  // a watch-triggered reload does not try an unchanged refused file again.
  struct Rejection {
    Refusal refusal;
    std::optional<FileIdentity> identity;
    std::optional<FileIdentity> signature_identity;
  };
  struct RetiredEntry {
    std::weak_ptr<loader::LoadedPlugin> plugin;
    std::string plugin_namespace, version;
    std::filesystem::path file, loaded_from;
    std::chrono::system_clock::time_point retired_at;
    bool unloadable = true;
  };
  struct Candidate;
  struct Scan;

  Scan scan_sources(const Trigger& trigger, ReloadReport& report);
  void examine(const std::filesystem::path& file, const Trigger& trigger, Scan& scan, ReloadReport& report);
  void hold_incomplete(const std::filesystem::path& file, std::string reason, const Trigger& trigger,
                       Scan& scan, ReloadReport& report);
  void refuse(const std::filesystem::path& file, std::string reason, const Trigger& trigger, Scan& scan,
              ReloadReport& report, std::optional<FileIdentity> identity = {},
              std::optional<FileIdentity> signature_identity = {}, bool logged = true);
  void discard(Candidate& c);
  void probe(Scan& scan, const Trigger& trigger, ReloadReport& report);
  void negotiate(Candidate& c, const Trigger& trigger, Scan& scan, ReloadReport& report);
  void start(Candidate& c, const Trigger& trigger, Scan& scan, ReloadReport& report);
  // Plans and starts until every planned version started and no names
  // collide; what could not start is planned again as absent.
  ReloadPlan plan_and_start(const Trigger& trigger, Scan& scan, ReloadReport& report);
  void warn_once(const std::vector<std::string>& warnings, const Trigger& trigger, std::string_view message);
  PluginAdminView admin_view() const;
  void on_unloaded(const UnloadOutcome& outcome);
  void check_retired_limit_locked();

  protocol::ServerContext& context_;
  const std::vector<std::filesystem::path> directories_;
  const std::vector<std::filesystem::path> files_;
  const boost::json::object plugin_config_;
  const std::string separator_;
  const schema::FormatMode schema_formats_;  // server.format_assertion
  const config::PluginPolicy policy_;
  const uid_t service_uid_;
  std::vector<trust::PublicKey> trusted_keys_;
  loader::HostHooks hooks_;
  std::shared_ptr<Reaper> reaper_;
  std::unique_ptr<StagingArea> staging_;
  std::string staging_problem_;
  std::function<std::set<std::filesystem::path>()> write_tracker_;

  std::mutex reload_mutex_;         // one reload at a time
  mutable std::mutex state_mutex_;  // everything below, for readers during a reload
  std::map<std::filesystem::path, Slot> slots_;
  std::map<std::filesystem::path, Rejection> rejected_;
  std::map<std::filesystem::path, WaitingFile> waiting_;
  std::vector<std::string> warnings_;  // of the last reload
  // Used by reloads only (under reload_mutex_).
  std::unique_ptr<ProbeVerdicts> probe_verdicts_;
  std::vector<RetiredEntry> retired_;
  std::uint64_t generation_ = 0;
  bool over_limit_reported_ = false;
  std::map<std::pair<std::string, std::string>, std::uint64_t> reloads_total_;  // (trigger, outcome)
  std::uint64_t refusals_total_ = 0;
  std::uint64_t unloads_total_ = 0;
  std::uint64_t unload_failures_total_ = 0;
  std::optional<ReloadReport> last_reload_;
};

}  // namespace mcpd::hotswap
