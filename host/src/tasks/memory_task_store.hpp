#pragma once
// The default task store: records in this process's memory, for one mcpd
// instance. Nothing to install, and nothing survives a restart (a restarted
// instance has no tasks to fail, so none stays "working" forever).
//
// Thread-safe (one mutex; every call is short). Expired records are dropped
// when a call meets them and by a sweep of a few records on every write, so
// memory stays bounded by the live tasks without a timer thread.
//
// Liveness: a memory store is never shared, so every instance it knows of is
// this very process. heartbeat() does nothing and instance_alive() is always
// true; the runner's "instance died" path only matters for a shared store.
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "tasks/task_store.hpp"

namespace mcpd::tasks {

class MemoryTaskStore final : public TaskStore {
 public:
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
  std::string describe() const override { return "memory"; }

  // Records held, expired ones not yet dropped included (for tests).
  std::size_t size() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    TaskRecord record;
    std::optional<Clock::time_point> expires_at;  // nullopt: never
    boost::json::object answers;                  // added by tasks/update, not yet taken
  };

  // The entry of a live task, or nullptr (an expired one is dropped here). Needs mutex_.
  Entry* find_live(std::string_view id, Clock::time_point now);
  // A write restarts the record's TTL, as Redis's PX does.
  static void restart_ttl(Entry& entry, Clock::time_point now);
  // Drops the expired records among the next few after the cursor. Needs mutex_.
  void sweep(Clock::time_point now);

  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;  // ordered, so the sweep can resume by key
  std::string sweep_cursor_;
};

}  // namespace mcpd::tasks
