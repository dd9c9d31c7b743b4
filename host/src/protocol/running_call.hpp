#pragma once
// One request a session runs on the worker pool (tools/call, resources/read,
// prompts/get, completion/complete). Three parties may end it: its handler
// returning, its deadline (server.call_timeout_ms) and shutdown, which
// abandons what ignores cancellation. Whoever claims it first answers (or
// drops) it; the others find it claimed and do nothing, so a request is
// answered at most once even when a stuck handler returns hours later.
#include <atomic>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "bridge/client_channel.hpp"
#include "loader/plugin_library.hpp"

namespace mcpd::protocol {

class SuspendedCall;

struct RunningCall {
  using Reply = std::function<void(std::optional<boost::json::object>)>;  // nullopt: send nothing

  std::string key;  // jsonrpc::id_key of the request
  boost::json::value id;
  std::string what;      // for logs and errors: "tools/call faulty.hang"
  std::string trace_id;  // W3C trace id from the request's traceparent, "" when none
  Reply reply;
  std::shared_ptr<std::atomic<bool>> cancelled = std::make_shared<std::atomic<bool>>(false);
  // Whose handler it runs, when known before it starts; its health is updated
  // when the call passes its deadline. Weak: only the running handler pins the
  // plugin (through its CallGuard), so an answered call never keeps a replaced
  // version loaded.
  std::weak_ptr<loader::LoadedPlugin> plugin;
  std::string plugin_namespace;  // "" when unknown
  std::chrono::steady_clock::time_point queued_at = std::chrono::steady_clock::now();
  std::atomic<bool> started{false};

  // Once the call became a task (Tasks extension): the task it works for and
  // the channel its progress and client requests go through. Its answer then
  // is the CreateTaskResult the client already has; what the handler returns
  // is stored as the task's result.
  struct TaskLink {
    std::string id;
    std::shared_ptr<bridge::ClientChannel> channel;
  };
  std::shared_ptr<TaskLink> task() const {
    std::lock_guard lock(task_mutex_);
    return task_;
  }
  void set_task(std::shared_ptr<TaskLink> link) {
    std::lock_guard lock(task_mutex_);
    task_ = std::move(link);
  }

  // Set while (and after) the handler waited in callback_client_request for a
  // 2026-07-28 client: its later questions and its result answer the retries.
  std::shared_ptr<SuspendedCall> suspension() const {
    std::lock_guard lock(task_mutex_);
    return suspension_;
  }
  void set_suspension(std::shared_ptr<SuspendedCall> s) {
    std::lock_guard lock(task_mutex_);
    suspension_ = std::move(s);
  }

  // True for the one caller that gets to answer.
  bool claim() { return !claimed_.exchange(true); }
  bool claimed() const { return claimed_.load(); }

  // The handler and the deadline race; exactly one of these two wins:
  // passed_deadline() true means the handler had not returned, so the plugin
  // now has a stuck call; handler_returned() true means the deadline had
  // already passed, so that stuck call is over.
  bool passed_deadline() {
    Phase expected = Phase::running;
    return phase_.compare_exchange_strong(expected, Phase::overdue);
  }
  bool handler_returned() { return phase_.exchange(Phase::returned) == Phase::overdue; }

 private:
  enum class Phase { running, overdue, returned };
  mutable std::mutex task_mutex_;
  std::shared_ptr<TaskLink> task_;
  std::shared_ptr<SuspendedCall> suspension_;
  std::atomic<bool> claimed_{false};
  std::atomic<Phase> phase_{Phase::running};
};

}  // namespace mcpd::protocol
