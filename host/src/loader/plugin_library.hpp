#pragma once
// One loaded plugin: the shared library, its negotiated descriptor, its state
// from on_init and everything it registered. Destroying it calls on_shutdown
// and then unloads the library, in that order; registry entries hold a
// shared_ptr to it, so a plugin outlives every call that uses it.
#include <mcpd/plugin_api.h>

#include <atomic>
#include <boost/dll/shared_library.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "loader/plugin_health.hpp"
#include "loader/registrations.hpp"
#include "schema/validator.hpp"

namespace mcpd::loader {

class LoadedPlugin;

// Host-level services a plugin may reach outside of a call.
struct HostHooks {
  std::function<void(std::string_view uri)> notify_resource_updated;
  // Receives a plugin once its last reference is gone and must `delete` it
  // (hot swap hands it to a reaper thread, which then checks the unload).
  // Empty: deleted on the spot, on whatever thread dropped the last reference.
  std::function<void(LoadedPlugin*)> dispose;
};

struct PluginInfo {
  std::filesystem::path path;         // the file the operator named (logs, messages)
  std::filesystem::path loaded_from;  // what was dlopen()ed: `path`, or its staged copy
  std::string plugin_namespace;
  std::string version;
  std::string description;
  uint32_t flags = 0;
  uint32_t abi_version = 0;
  boost::json::value config_schema;  // null when the plugin declares none

  bool serial() const { return (flags & MCPD_PLUGIN_FLAG_SERIAL) != 0; }
  bool unprefixed() const { return (flags & MCPD_PLUGIN_FLAG_UNPREFIXED) != 0; }
};

// A library that negotiated successfully but is not initialised yet: enough to
// know its namespace (to refuse duplicates before running any of its code
// beyond negotiation) and its config schema.
class NegotiatedLibrary {
 public:
  // nullptr with `error` set ("<why>") when the file cannot be used.
  // `shown_path` is the operator's name for the file when `path` is a staged
  // copy of it; messages name it instead of the copy.
  static std::unique_ptr<NegotiatedLibrary> open(const std::filesystem::path& path, std::string& error,
                                                 const std::filesystem::path& shown_path = {});
  const PluginInfo& info() const { return info_; }

 private:
  friend class LoadedPlugin;
  boost::dll::shared_library library_;
  mcpd_plugin_descriptor descriptor_{};
  PluginInfo info_;
};

class LoadedPlugin {
 public:
  // Counts one request running a handler of this plugin while it lives.
  class CallGuard {
   public:
    CallGuard() = default;
    explicit CallGuard(std::shared_ptr<LoadedPlugin> plugin);
    CallGuard(CallGuard&& other) noexcept = default;
    CallGuard& operator=(CallGuard&& other) noexcept;
    ~CallGuard();

   private:
    std::shared_ptr<LoadedPlugin> plugin_;
  };

  // Runs on_init with `config` (the plugin's own section), what is wrong with
  // it (`config_problems`, from checking it against the plugin's schema:
  // host_api.config_problems_json) and the published names' separator
  // (host_api.tool_name_separator). nullptr with `error`
  // set when init fails, throws, or registers anything invalid.
  // `schema_formats` is what "format" does in the schemas of the tools it
  // registers.
  static std::shared_ptr<LoadedPlugin> start(std::unique_ptr<NegotiatedLibrary> library,
                                             const boost::json::object& config,
                                             const std::vector<std::string>& config_problems,
                                             std::string_view tool_name_separator, HostHooks hooks,
                                             schema::FormatMode schema_formats, std::string& error);
  ~LoadedPlugin();
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const PluginInfo& info() const { return library_->info(); }
  const Registrations& registrations() const { return registrations_; }
  void* state() const { return state_; }
  // Held around every handler of a MCPD_PLUGIN_FLAG_SERIAL plugin; null otherwise.
  std::mutex* serial_mutex() { return info().serial() ? &serial_mutex_ : nullptr; }
  std::chrono::system_clock::time_point loaded_at() const { return loaded_at_; }
  // Requests running one of its handlers now (see CallGuard).
  int calls_in_flight() const { return calls_in_flight_.load(); }
  // Its calls against the call deadline; updated by the protocol session.
  PluginHealth& health() const { return health_; }

 private:
  LoadedPlugin() = default;
  static void log_callback(mcpd_host_handle* ctx, mcpd_log_level level, mcpd_str message) noexcept;
  static mcpd_status notify_resource_updated_callback(mcpd_host_handle* ctx, mcpd_str uri) noexcept;

  std::unique_ptr<NegotiatedLibrary> library_;  // destroyed last: code must outlive state
  HostHooks hooks_;
  mcpd_host_api host_api_{};
  std::string host_version_;
  std::string tool_name_separator_;  // host_api_.tool_name_separator points here
  std::string config_problems_;      // host_api_.config_problems_json points here
  void* state_ = nullptr;
  bool initialised_ = false;
  Registrations registrations_;
  std::mutex serial_mutex_;
  std::chrono::system_clock::time_point loaded_at_ = std::chrono::system_clock::now();
  std::atomic<int> calls_in_flight_{0};
  mutable PluginHealth health_;
};

}  // namespace mcpd::loader
