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
#include "mrtr/state_seal.hpp"
#include "protocol/result_shaping.hpp"
#include "protocol/suspended_call.hpp"
#include "registry/registry_snapshot.hpp"
#include "registry/snapshot_slot.hpp"
#include "tasks/task_runner.hpp"
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
  // Over stdio, a tool whose recent calls each took at most this long runs on the reading thread
  // (server.quick_call_us, QuickCallHistory); zero means never.
  std::chrono::microseconds quick_call{200};
  // resources/subscribe: URIs one session may watch, and the longest URI
  // (server.max_subscriptions_per_session, server.max_subscription_uri_bytes).
  std::size_t max_subscriptions = 256;
  std::size_t max_subscription_uri_bytes = 4096;
  // ttlMs of modern cacheable results (server.list_cache_ttl_ms, server.resource_cache_ttl_ms).
  CachePolicy cache;
};

// Live sessions, for notifications that are not answers to a request:
// resources/updated, and list_changed when a plugin reload changed a list.
class SessionHub {
 public:
  void add(const std::shared_ptr<Session>& session);
  void notify_resource_updated(std::string_view uri);
  // notifications/<kind>/list_changed ("tools", "prompts" or "resources") to
  // every initialized legacy session and every subscriptions/listen stream
  // that asked for it (the server declares listChanged for all three).
  // Returns how many sessions it went to.
  std::size_t notify_list_changed(std::string_view kind);
  // Ends every subscriptions/listen stream with its final result (shutdown).
  void end_listens();
  // notifications/tasks to every listen stream that named the task.
  void notify_task(const boost::json::object& detailed);

 private:
  std::vector<std::shared_ptr<Session>> live();
  std::mutex mutex_;
  std::vector<std::weak_ptr<Session>> sessions_;
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

// A name for this process among the instances sharing a task store: a task
// remembers which instance runs it, and an instance that stops beating has its
// tasks failed.
std::string make_instance_name();

struct ServerContext {
  ServerContext(unsigned worker_threads, std::chrono::milliseconds client_request_timeout, SessionSettings s,
                unsigned max_abandoned_workers = 0)
      : pool(worker_threads, max_abandoned_workers),
        invoker(client_request_timeout),
        settings(std::move(s)),
        seal(std::make_unique<mrtr::StateSeal>(mrtr::StateSeal::random_key(), std::chrono::seconds(600))) {
    use_task_store(tasks::make_task_store("memory"), tasks::TaskSettings{});
  }
  // Replaces the task runner (server setup, before any transport starts).
  void use_task_store(std::unique_ptr<tasks::TaskStore> store, tasks::TaskSettings task_settings) {
    tasks = std::make_unique<tasks::TaskRunner>(std::move(store), task_settings, make_instance_name());
    tasks->set_listener([this](const boost::json::object& detailed) { hub.notify_task(detailed); });
  }

  std::shared_ptr<const registry::RegistrySnapshot> snapshot() const { return registry.load(); }
  void publish(std::shared_ptr<const registry::RegistrySnapshot> s) { registry.store(std::move(s)); }

  registry::SnapshotSlot registry;
  WorkerPool pool;
  bridge::Invoker invoker;
  SessionSettings settings;
  SessionHub hub;
  std::shared_ptr<PluginAdmin> plugin_admin;  // set before any transport starts
  // Seals the requestState of input_required results (server.request_state_key).
  std::unique_ptr<mrtr::StateSeal> seal;
  // The Tasks extension's engine and store (tasks.store).
  std::unique_ptr<tasks::TaskRunner> tasks;
  // Handlers waiting in callback_client_request for a 2026-07-28 client's retry.
  SuspendedCalls suspended;
};

}  // namespace mcpd::protocol
