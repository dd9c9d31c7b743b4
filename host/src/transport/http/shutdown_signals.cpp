#include "transport/http/shutdown_signals.hpp"

#include <pthread.h>

#include <cerrno>
#include <ctime>

namespace mcpd::transport::http {

ShutdownSignals::ShutdownSignals() {
  sigemptyset(&stopping_);
  sigaddset(&stopping_, SIGTERM);
  sigaddset(&stopping_, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopping_, &previous_);
}

ShutdownSignals::~ShutdownSignals() {
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

std::string ShutdownSignals::wait() {
  // A short timeout lets request_stop() (from another thread) end the wait.
  const timespec tick{0, 100'000'000};
  for (;;) {
    if (requested_.load()) {
      std::lock_guard lock(mutex_);
      return reason_;
    }
    siginfo_t info{};
    const int signal = sigtimedwait(&stopping_, &info, &tick);
    if (signal == SIGTERM) return "SIGTERM";
    if (signal == SIGINT) return "SIGINT";
    // -1 with EAGAIN (timeout) or EINTR: look again.
  }
}

void ShutdownSignals::request_stop(std::string reason) {
  std::lock_guard lock(mutex_);
  if (requested_.load()) return;
  reason_ = std::move(reason);
  requested_.store(true);
}

}  // namespace mcpd::transport::http
