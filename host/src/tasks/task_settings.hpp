#pragma once
// The "tasks" section of the configuration (read from Config::raw, like
// "http"): which store keeps tasks and what clients are told about them.
//
//   "tasks": {"store": "redis://127.0.0.1:6379/0", "ttl_ms": 3600000, "poll_interval_ms": 1000,
//             "heartbeat_ms": 15000}
//
// MCPD_TASKS_STORE overrides tasks.store.
#include <string>

#include "config/config.hpp"
#include "tasks/task_runner.hpp"

namespace mcpd::tasks {

struct TaskConfig {
  std::string store =
      "memory";  // "memory" or "redis://[:password@]host[:port][/db]" (a secret when it has one)
  TaskSettings settings;
};

// Throws config::ConfigError naming the setting (never a password) for a wrong type, a value out of
// range or an unknown key.
TaskConfig parse_task_config(const config::Config& config, const config::Environment& env);

}  // namespace mcpd::tasks
