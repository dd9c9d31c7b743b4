#pragma once
// Where 2026-07-28 tasks (the io.modelcontextprotocol/tasks extension) live
// between the call that created them and the polls that read them. One
// interface, two stores: in memory (one instance, nothing to install) and
// Redis (a fleet: tasks/get and tasks/cancel work on whichever instance the
// load balancer picks, while the work runs on the instance that started it).
//
// The store only keeps records; the task runner (tasks/task_runner) decides
// what happens to them. Every write that changes a task's status is refused
// once the task is terminal (completed, failed, cancelled), so a late result
// never overwrites a cancel and a cancel never overwrites a result.
#include <boost/json.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::tasks {

enum class Status { working, input_required, completed, failed, cancelled };

std::string_view status_name(Status status);                 // "working", "input_required", ...
std::optional<Status> parse_status(std::string_view name);   // nullopt for anything else
inline bool is_terminal(Status s) { return s == Status::completed || s == Status::failed || s == Status::cancelled; }

struct TaskRecord {
  std::string id;        // unguessable: 128 random bits, as a UUID-shaped string
  std::string owner;     // who may see it: a digest of the caller's identity (never a raw token)
  std::string instance;  // the instance whose worker runs it
  std::string tool;      // the published tool name
  Status status = Status::working;
  std::string status_message;          // "" when none
  std::int64_t created_at_ms = 0;      // Unix epoch milliseconds
  std::int64_t last_updated_at_ms = 0;
  std::optional<std::int64_t> ttl_ms;  // nullopt: unlimited (never used by mcpd, but representable)
  std::int64_t poll_interval_ms = 0;   // 0: none suggested
  // While input_required: every outstanding request, {key: {method, params}}.
  boost::json::object input_requests;
  // Keys ever asked for in this task (never reused within a task).
  std::vector<std::string> used_input_keys;
  std::optional<boost::json::object> result;  // completed: the CallToolResult (isError results too)
  std::optional<boost::json::object> error;   // failed: a JSON-RPC error object {code, message, data?}
  bool cancel_requested = false;

  bool operator==(const TaskRecord&) const = default;  // field by field
};

// The store cannot be reached (Redis down, timed out). Task calls fail with a
// clear error; plain calls never touch the store.
struct StoreUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What a status change writes; fields left empty are kept as they are.
struct StatusChange {
  Status status = Status::working;
  std::optional<std::string> status_message;
  std::optional<boost::json::object> input_requests;  // replaces the outstanding requests
  std::optional<boost::json::object> result;
  std::optional<boost::json::object> error;
  std::optional<std::int64_t> poll_interval_ms;
};

class TaskStore {
 public:
  virtual ~TaskStore() = default;

  // Stores a new task; when it returns, get() on any instance finds it.
  // The record expires ttl_ms after its creation (or its last update, for a task still running).
  virtual void create(const TaskRecord& record) = 0;

  // The task, or nullopt when unknown or expired.
  virtual std::optional<TaskRecord> get(std::string_view id) = 0;

  // Applies `change` (and stamps last_updated_at_ms = now_ms) unless the task
  // is unknown or already terminal. Adds the keys of change.input_requests to
  // used_input_keys. Returns the record as it is after the call (nullopt when unknown).
  virtual std::optional<TaskRecord> change_status(std::string_view id, const StatusChange& change,
                                                  std::int64_t now_ms) = 0;

  // tasks/cancel: when the task is not terminal, sets cancel_requested and
  // moves it to cancelled with `message`; a terminal task is left as it is.
  // Returns the record after the call (nullopt when unknown).
  virtual std::optional<TaskRecord> cancel(std::string_view id, std::string_view message,
                                           std::int64_t now_ms) = 0;

  // tasks/update: keeps the answers whose key is outstanding in
  // input_requests (others are ignored, as the extension says) for the
  // instance running the task to take. Returns false when the task is unknown.
  virtual bool add_input_responses(std::string_view id, const boost::json::object& responses) = 0;

  // The answers added since the last take, removed from the store; the
  // answered keys leave input_requests.
  virtual boost::json::object take_input_responses(std::string_view id) = 0;

  // Liveness of instances, so that tasks of an instance that died do not
  // stay "working" forever: the running instance beats every few seconds;
  // a beat lasts `lifetime_ms`.
  virtual void heartbeat(std::string_view instance, std::int64_t lifetime_ms) = 0;
  virtual bool instance_alive(std::string_view instance) = 0;

  // Tasks of `instance` that are not terminal (for failing them at shutdown).
  virtual std::vector<std::string> unfinished_of(std::string_view instance) = 0;

  // "memory" or "redis://host:port/db", for logs and errors.
  virtual std::string describe() const = 0;
};

// Builds the store `tasks.store` names: "memory" (the default) or
// "redis://host[:port][/db]" (port 6379, db 0 by default; a password may
// come as redis://:password@host...). Throws std::invalid_argument with a
// message saying what is wrong for anything else. A Redis store connects
// lazily and reconnects; its calls throw StoreUnavailable while it cannot.
std::unique_ptr<TaskStore> make_task_store(std::string_view spec);

}  // namespace mcpd::tasks
