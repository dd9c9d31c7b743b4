#pragma once
// The Tasks extension's engine on one instance: makes task records, runs the
// bookkeeping of the tasks this instance works on (status messages, input the
// work waits for, the result or error at the end, cancellation coming from any
// instance), answers tasks/get, tasks/update and tasks/cancel from the store,
// and tells listeners (notifications/tasks) when a task changes here.
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "tasks/task_store.hpp"

namespace mcpd::tasks {

struct TaskSettings {
  std::chrono::milliseconds ttl{60 * 60 * 1000};        // tasks.ttl_ms: how long a task stays readable
  std::chrono::milliseconds poll_interval{1000};        // tasks.poll_interval_ms: what clients are told
  std::chrono::milliseconds watch_interval{250};        // how often running tasks look for cancel/answers
  std::chrono::milliseconds heartbeat_lifetime{15000};  // an instance that stops beating is dead after this
};

class TaskRunner {
 public:
  TaskRunner(std::unique_ptr<TaskStore> store, TaskSettings settings, std::string instance);
  ~TaskRunner();  // stop()
  TaskRunner(const TaskRunner&) = delete;
  TaskRunner& operator=(const TaskRunner&) = delete;

  const TaskSettings& settings() const { return settings_; }
  const std::string& instance() const { return instance_; }
  std::string describe_store() const { return store_->describe(); }

  // --- the instance running a task ---

  // Stores a new working task for `tool` owned by `owner`; when it returns, tasks/get finds it anywhere.
  // `cancelled` is set when the task is cancelled (on any instance). Throws StoreUnavailable.
  TaskRecord start(std::string_view tool, std::string_view owner,
                   std::shared_ptr<std::atomic<bool>> cancelled);
  void report_status(const std::string& id, std::string message);
  // The task waits in input_required with `requests` (keys never reused in a task: a reused key is
  // refused with std::invalid_argument) until every one is answered, it is cancelled or `timeout`
  // passes (nullopt then). The answers, keyed like the requests.
  std::optional<boost::json::object> wait_for_input(const std::string& id,
                                                    const boost::json::object& requests,
                                                    std::chrono::milliseconds timeout);
  void complete(const std::string& id, boost::json::object result);
  void fail(const std::string& id, int code, std::string message);
  // The work of a cancelled task returned: this instance stops watching it.
  void release(const std::string& id);
  // Every task this instance still runs fails with `why` (shutdown).
  void fail_all_running(const std::string& why);

  // --- any instance (tasks/get, tasks/update, tasks/cancel) ---

  // The task as tasks/get shows it (a DetailedTask), or nullopt when unknown, expired or not `owner`'s.
  // A task whose instance stopped beating is failed first. Throws StoreUnavailable.
  std::optional<boost::json::object> get(std::string_view id, std::string_view owner);
  // False when unknown (or not owner's).
  bool update(std::string_view id, std::string_view owner, const boost::json::object& responses);
  bool cancel(std::string_view id, std::string_view owner);

  // notifications/tasks: called with the DetailedTask after every change made on this instance.
  void set_listener(std::function<void(const boost::json::object& detailed)> listener);

  // The DetailedTask shape of a record (CreateTaskResult is the same without result/error/inputRequests).
  static boost::json::object detailed(const TaskRecord& record);
  static boost::json::object created(const TaskRecord& record);

 private:
  struct Local {
    std::shared_ptr<std::atomic<bool>> cancelled;
    boost::json::object answers;  // collected while waiting for input
    std::vector<std::string> waiting_for;
  };
  void watch();
  void changed(const std::optional<TaskRecord>& record);
  std::int64_t now_ms() const;

  std::unique_ptr<TaskStore> store_;
  TaskSettings settings_;
  std::string instance_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, Local, std::less<>> local_;
  std::function<void(const boost::json::object&)> listener_;
  bool stopping_ = false;
  std::thread watcher_;
};

// 128 random bits as a UUID (version 4 layout): a task id nobody can guess.
std::string random_task_id();
// "2026-10-01T10:30:00.123Z"
std::string iso8601_utc(std::int64_t epoch_ms);

}  // namespace mcpd::tasks
