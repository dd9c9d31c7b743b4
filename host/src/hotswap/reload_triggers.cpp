#include "hotswap/reload_triggers.hpp"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>

#include "log/logger.hpp"

namespace mcpd::hotswap {
using Clock = std::chrono::steady_clock;

namespace {

std::int64_t monotonic_ns() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return std::int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

// Signal handlers may only touch lock-free atomics and call async-signal-safe
// functions (write, clock_gettime).
std::atomic<int> g_signal_fd{-1};
std::atomic<std::int64_t> g_signal_at_ns{0};
struct sigaction g_previous_action {};

extern "C" void on_sighup(int) {
  const int saved_errno = errno;
  g_signal_at_ns.store(monotonic_ns());
  const int fd = g_signal_fd.load();
  if (fd >= 0) {
    const std::uint64_t one = 1;
    [[maybe_unused]] ssize_t ignored = ::write(fd, &one, sizeof one);
  }
  errno = saved_errno;
}

void drain(int fd) {
  std::uint64_t value = 0;
  while (::read(fd, &value, sizeof value) > 0) {
  }
}

void drain_signals(int fd) {
  signalfd_siginfo info{};
  while (::read(fd, &info, sizeof info) > 0) {
  }
}

sigset_t reload_signal_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void ReloadTriggers::block_reload_signal() {
  const sigset_t set = reload_signal_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ReloadTriggers::ReloadTriggers(PluginManager& manager, bool watch, std::chrono::milliseconds debounce)
    : manager_(manager), watch_(watch), debounce_(debounce) {}

ReloadTriggers::~ReloadTriggers() {
  stop();
}

void ReloadTriggers::start() {
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  signal_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0 || signal_fd_ < 0)
    throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
  int expected = -1;
  if (g_signal_fd.compare_exchange_strong(expected, signal_fd_)) {
    struct sigaction action {};
    action.sa_handler = on_sighup;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGHUP, &action, &g_previous_action);
    handler_installed_ = true;
    const sigset_t set = reload_signal_set();
    signalfd_ = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (signalfd_ < 0)
      log::warn("no signalfd for SIGHUP; relying on the signal handler", {{"error", std::strerror(errno)}});
  } else {
    log::warn(
        "SIGHUP already reloads another plugin manager in this process; not installing a second handler");
  }
  if (watch_) {
    try {
      watcher_ = std::make_unique<DirectoryWatcher>();
      watcher_->watch(manager_.watch_targets());
      DirectoryWatcher* watcher = watcher_.get();
      manager_.set_write_tracker([watcher] { return watcher->being_written(); });
    } catch (const std::exception& e) {
      log::warn("plugin directories are not watched; reload with SIGHUP or the admin endpoint",
                {{"reason", e.what()}});
      watcher_.reset();
    }
  }
  thread_ = std::thread([this] { run(); });
}

void ReloadTriggers::stop() {
  if (thread_.joinable()) {
    const std::uint64_t one = 1;
    [[maybe_unused]] ssize_t ignored = ::write(wake_fd_, &one, sizeof one);
    thread_.join();
  }
  if (handler_installed_) {
    ::sigaction(SIGHUP, &g_previous_action, nullptr);
    g_signal_fd.store(-1);
    handler_installed_ = false;
  }
  if (watcher_) manager_.set_write_tracker({});
  watcher_.reset();
  for (int* fd : {&wake_fd_, &signal_fd_, &signalfd_}) {
    if (*fd >= 0) ::close(*fd);
    *fd = -1;
  }
}

void ReloadTriggers::run() {
  bool pending = false;
  Clock::time_point first_event{}, last_event{}, deadline{};
  auto reload = [&](const std::string& name, Clock::time_point at, bool full) {
    try {
      PluginManager::Trigger trigger;
      trigger.name = name;
      trigger.at = at;
      trigger.full = full;
      manager_.reload(trigger);
    } catch (const std::exception& e) {
      log::error("plugin reload failed", {{"trigger", name}, {"error", e.what()}});
    }
  };
  // Directories that do not exist yet are retried once a second; once all are watched the thread sleeps
  // until something happens (no idle wake-ups for an mcpd on a laptop).
  bool all_watched = watcher_ ? watcher_->watch(manager_.watch_targets()) : true;
  for (;;) {
    pollfd fds[4] = {{wake_fd_, POLLIN, 0},
                     {signal_fd_, POLLIN, 0},
                     {watcher_ ? watcher_->fd() : -1, POLLIN, 0},
                     {signalfd_, POLLIN, 0}};
    int timeout_ms = all_watched ? -1 : 1000;
    if (pending)
      timeout_ms = static_cast<int>(std::max<std::int64_t>(
          0, std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count()));
    // A file waiting to be complete is looked at again when its time is up,
    // file events or not: a copy that stopped half way makes none.
    const auto waiting_due = manager_.next_waiting_deadline();
    if (waiting_due) {
      const auto until_due = std::max<std::int64_t>(
          0, std::chrono::ceil<std::chrono::milliseconds>(*waiting_due - Clock::now()).count());
      timeout_ms = static_cast<int>(timeout_ms < 0 ? std::min<std::int64_t>(until_due, 3'600'000)
                                                   : std::min<std::int64_t>(timeout_ms, until_due));
    }
    const int ready = ::poll(fds, 4, timeout_ms);
    if (ready < 0 && errno != EINTR) {
      log::error("plugin reload triggers stopped", {{"error", std::strerror(errno)}});
      return;
    }
    if (fds[0].revents != 0) return;
    const bool signalled = fds[1].revents != 0 || fds[3].revents != 0;
    if (signalled) {
      // Taken from the signalfd, the signal ran no handler: now is when it arrived (near enough).
      if (fds[3].revents != 0) {
        drain_signals(signalfd_);
        g_signal_at_ns.store(monotonic_ns());
      }
      drain(signal_fd_);
      const auto at = Clock::time_point(std::chrono::nanoseconds(g_signal_at_ns.load()));
      log::info("SIGHUP: reloading every plugin");
      pending = false;  // a full reload covers what the watcher saw
      reload("signal", at, true);
    }
    if (watcher_) {
      const bool events = fds[2].revents != 0;
      if (events && watcher_->read_events()) {
        const auto now = Clock::now();
        if (!pending) first_event = now;
        pending = true;
        last_event = now;
        deadline = std::min(now + debounce_, first_event + std::max(kMaxDebounceDelay, debounce_));
      }
      // A watched directory that went away was dropped by read_events: watch it again when it is back.
      if (events || !all_watched || signalled) all_watched = watcher_->watch(manager_.watch_targets());
    }
    if (pending && Clock::now() >= deadline) {
      pending = false;
      reload("watch", last_event, false);
    } else if (waiting_due && Clock::now() >= *waiting_due) {
      reload("watch", Clock::now(), false);
    }
  }
}

}  // namespace mcpd::hotswap
