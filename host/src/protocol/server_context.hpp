#pragma once
// What every protocol session of one mcpd process shares: the published
// registry snapshot, the worker pool, the invoker and the session hub.
#include <atomic>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bridge/invoker.hpp"
#include "registry/registry_snapshot.hpp"
#include "registry/snapshot_slot.hpp"
#include "util/worker_pool.hpp"

namespace mcpd::protocol {

class Session;

struct SessionSettings {
  std::string server_name = "mcpd";
  std::string instructions;
  std::size_t page_size = 100;
  // How long a plugin handler may run before the call is answered with an
  // error and abandoned (server.call_timeout_ms); zero means no limit.
  std::chrono::milliseconds call_timeout{0};
  // resources/subscribe: URIs one session may watch, and the longest URI
  // (server.max_subscriptions_per_session, server.max_subscription_uri_bytes).
  std::size_t max_subscriptions = 256;
  std::size_t max_subscription_uri_bytes = 4096;
};

// Live sessions, for notifications that are not answers to a request:
// resources/updated, and list_changed when a plugin reload changed a list.
class SessionHub {
 public:
  void add(const std::shared_ptr<Session>& session);
  void notify_resource_updated(std::string_view uri);
  // notifications/<kind>/list_changed ("tools", "prompts" or "resources") to
  // every initialized, open session (the server declares listChanged for all
  // three). Returns how many sessions it went to.
  std::size_t notify_list_changed(std::string_view kind);

 private:
  std::vector<std::shared_ptr<Session>> live();
  std::mutex mutex_;
  std::vector<std::weak_ptr<Session>> sessions_;
};

// Hooks for metrics; empty functions are skipped.
struct CallObserver {
  // outcome: "ok", "error" (isError result), "rpc_error" (JSON-RPC error), "cancelled",
  // "timeout" (answered by server.call_timeout_ms).
  std::function<void(std::string_view tool, std::string_view outcome,
                     std::chrono::steady_clock::duration elapsed)>
      tool_call;
  // A request refused or ended by a limit; `limit` names it, by its setting where it has one
  // ("server.max_message_bytes", "server.call_timeout_ms", ...), never with client text.
  std::function<void(std::string_view limit)> limit_breach;

  void breached(std::string_view limit) const {
    if (limit_breach) limit_breach(limit);
  }
};

// Plugin administration while serving (hot swap): what the admin endpoint,
// `mcpd plugin list|reload` and /metrics reach. Null when plugins are fixed.
class PluginAdmin {
 public:
  virtual ~PluginAdmin() = default;
  // Loaded versions, refusals, retired-but-resident versions (GET /admin/plugins).
  virtual boost::json::object plugin_state() const = 0;
  // Rescans every plugin file now and returns what changed (POST /admin/plugins/reload).
  virtual boost::json::object reload_plugins(std::string_view trigger) = 0;
  // Prometheus text-format lines (with HELP/TYPE) about plugin versions and reloads.
  virtual std::string plugin_metrics() const = 0;
};

struct ServerContext {
  ServerContext(unsigned worker_threads, std::chrono::milliseconds client_request_timeout, SessionSettings s,
                unsigned max_abandoned_workers = 0)
      : pool(worker_threads, max_abandoned_workers),
        invoker(client_request_timeout),
        settings(std::move(s)) {}

  std::shared_ptr<const registry::RegistrySnapshot> snapshot() const { return registry.load(); }
  void publish(std::shared_ptr<const registry::RegistrySnapshot> s) { registry.store(std::move(s)); }

  registry::SnapshotSlot registry;
  WorkerPool pool;
  bridge::Invoker invoker;
  SessionSettings settings;
  SessionHub hub;
  CallObserver observer;
  std::shared_ptr<PluginAdmin> plugin_admin;  // set before any transport starts
};

}  // namespace mcpd::protocol
