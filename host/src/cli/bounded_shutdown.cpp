#include "cli/bounded_shutdown.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "log/logger.hpp"
#include "protocol/session.hpp"

namespace mcpd::cli {
namespace {
// Workers that just finished abandoned calls need a moment to leave even when
// the budget is spent.
constexpr std::chrono::milliseconds kLeaveTime{200};
}  // namespace

ShutdownBudget::ShutdownBudget(std::chrono::milliseconds grace)
    : drain_(grace > protocol::kCancelGrace ? grace - protocol::kCancelGrace : std::chrono::milliseconds(0)),
      end_(Clock::now() + std::max(grace, protocol::kCancelGrace)) {}

void end_waiting_work(protocol::ServerContext& context) {
  // Their clients poll for them (maybe through another instance): a clear failure, not "working" forever.
  context.tasks->fail_all_running("mcpd shut down before the task finished; call the tool again");
  // Handlers waiting for a 2026-07-28 client's retry would hold their workers until the deadline.
  context.suspended.cancel_all();
}

void stop_workers_or_exit(WorkerPool& pool, const ShutdownBudget& budget, int exit_code) {
  const auto stuck = pool.stop(std::max(budget.end(), ShutdownBudget::Clock::now() + kLeaveTime));
  if (stuck == 0) return;
  log::warn(
      "exiting with worker threads still stuck in plugin code (see the \"call abandoned\" lines); "
      "plugins are not shut down or unloaded",
      {{"stuck_workers", std::to_string(stuck)}});
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(exit_code);
}

}  // namespace mcpd::cli
