#pragma once
// SIGTERM and SIGINT as an ordinary event: the signals are blocked in every
// thread (construct this before any thread starts, so they all inherit the
// mask) and collected with sigtimedwait by whoever calls wait(). No signal
// handler runs, so nothing async-signal-unsafe can happen in one.
#include <atomic>
#include <csignal>
#include <mutex>
#include <string>

namespace mcpd::transport::http {

class ShutdownSignals {
 public:
  ShutdownSignals();
  ~ShutdownSignals();  // restores the previous signal mask of the constructing thread
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

  // Blocks until SIGTERM or SIGINT arrives or request_stop() is called;
  // returns why ("SIGTERM", "SIGINT" or the reason given).
  std::string wait();
  // From any thread: makes wait() return `reason`.
  void request_stop(std::string reason);

 private:
  sigset_t previous_{};
  sigset_t stopping_{};
  std::mutex mutex_;
  std::string reason_;
  std::atomic<bool> requested_{false};
};

}  // namespace mcpd::transport::http
