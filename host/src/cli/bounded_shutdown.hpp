#pragma once
// Ending `serve` within server.shutdown_timeout_ms whatever a plugin does.
// A call stuck in plugin code that ignores cancellation keeps its worker
// thread forever; the thread can be neither joined nor killed, so the process
// ends without it.
#include <chrono>

#include "protocol/server_context.hpp"
#include "util/worker_pool.hpp"

namespace mcpd::cli {

class ShutdownBudget {
 public:
  using Clock = std::chrono::steady_clock;
  // Starts counting now: when the reason to stop (EOF, a signal) arrived.
  explicit ShutdownBudget(std::chrono::milliseconds grace);

  // How long in-flight calls may run before they are cancelled: the grace
  // period minus the time cancelled calls get to return (protocol::kCancelGrace).
  std::chrono::milliseconds drain() const { return drain_; }
  // When the process must be on its way out.
  Clock::time_point end() const { return end_; }

 private:
  std::chrono::milliseconds drain_;
  Clock::time_point end_;
};

// Fails every task this instance still runs (their cancellation reaches the
// plugins), so that pollers see why instead of a task that never ends, and
// cancels the handlers suspended until a client's retry.
void end_waiting_work(protocol::ServerContext& context);

// Stops the worker pool, waiting for its workers until the budget's end (at
// least a moment from now). Returns when every worker finished. Otherwise the
// workers left are stuck in plugin code: returning would destroy the
// sessions, the plugins and their libraries' code under them (a crash, or a
// hang in a join). So it logs them, and ends the process at once with
// `exit_code`: no static destructor runs and no plugin is unloaded.
void stop_workers_or_exit(WorkerPool& pool, const ShutdownBudget& budget, int exit_code);

}  // namespace mcpd::cli
