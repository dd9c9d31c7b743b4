#pragma once
// The task store of a fleet: records in one Redis server that every instance
// of mcpd shares, so tasks/get and tasks/cancel work on whichever instance a
// load balancer picks while the work runs on the instance that started it.
//
// Layout (all keys under "mcpd:"; one Redis database, not Redis Cluster):
//   mcpd:task:<id>              the TaskRecord as JSON text, PX = its TTL
//   mcpd:task:<id>:answers      hash of tasks/update answers not yet taken
//   mcpd:instance:<name>        an instance's heartbeat, PX = its lifetime
//   mcpd:instance:<name>:tasks  set of the instance's unfinished task ids
// Every write that depends on what is stored is a compare-and-set Lua script
// (see redis_scripts.hpp), so "refused once terminal" holds across instances.
//
// Connects lazily, pools a few connections and replaces broken ones, so a
// Redis that went away and came back is used again without a restart. While
// Redis cannot be reached every call throws StoreUnavailable.
#include "tasks/redis_connection.hpp"
#include "tasks/redis_endpoint.hpp"
#include "tasks/task_store.hpp"

namespace mcpd::tasks {

class RedisTaskStore final : public TaskStore {
 public:
  explicit RedisTaskStore(RedisEndpoint endpoint, RedisTimeouts timeouts = {});

  void create(const TaskRecord& record) override;
  std::optional<TaskRecord> get(std::string_view id) override;
  std::optional<TaskRecord> change_status(std::string_view id, const StatusChange& change,
                                          std::int64_t now_ms) override;
  std::optional<TaskRecord> cancel(std::string_view id, std::string_view message,
                                   std::int64_t now_ms) override;
  bool add_input_responses(std::string_view id, const boost::json::object& responses) override;
  boost::json::object take_input_responses(std::string_view id) override;
  void heartbeat(std::string_view instance, std::int64_t lifetime_ms) override;
  bool instance_alive(std::string_view instance) override;
  std::vector<std::string> unfinished_of(std::string_view instance) override;
  std::string describe() const override { return pool_.endpoint().describe(); }

 private:
  // A record as read: its exact text (what a compare-and-set expects) and its value.
  struct Snapshot {
    std::string text;
    TaskRecord record;
  };
  std::optional<Snapshot> read(std::string_view id);
  // Writes `next` over `seen` with the kReplace script; false when the record changed meanwhile.
  bool replace(const Snapshot& seen, const TaskRecord& next);
  // Shared by change_status and cancel: re-reads until the write lands or the task is terminal.
  template <typename Apply>
  std::optional<TaskRecord> update_unless_terminal(std::string_view id, Apply apply);
  [[noreturn]] void fail(std::string_view what) const;

  RedisConnectionPool pool_;
};

}  // namespace mcpd::tasks
