#include "transport/stdio_reader.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>

#include "log/logger.hpp"

namespace mcpd::transport {
namespace {

constexpr int kThreads = 2;  // one reads, one stands by
// While calls run on the reading thread, the standby looks at least this often whether one runs long;
// it stops looking (and sleeps until the next such call tells it) after kWatchFor without one.
constexpr std::chrono::milliseconds kWatchPeriod{2};
constexpr std::chrono::milliseconds kWatchFor{100};

}  // namespace

struct StdioReader::State {
  int fd = 0;
  std::size_t max_message_bytes = 0;
  std::function<void(std::string_view)> on_line;
  std::function<void(std::size_t)> on_oversize;
  std::function<void()> hold_output;
  std::function<void()> release_output;

  std::mutex mutex;
  std::condition_variable role_changed;  // the standby: a call began, or input ended
  std::condition_variable exited;        // run(): a thread left
  std::thread::id holder;                // the thread that reads now; none between two holders
  bool holder_in_call = false;           // ... and it runs a call instead of reading
  Clock::time_point call_started;
  Clock::time_point last_call;
  int standing_by = 0;            // threads waiting for the role
  bool standby_watching = false;  // the standby wakes every kWatchPeriod instead of waiting to be told
  int calls_taken_over = 0;       // threads still in a call after another took over reading
  int threads_left = 0;
  bool done = false;  // input ended: every thread leaves

  // Framing, touched only by the holder (a new holder takes it over under the mutex).
  std::string_view unread;  // read but not yet framed, in the holder's buffer or in `carry`
  std::string carry;        // what a thread that took over had to copy out of the previous holder's buffer
  std::string pending;      // the start of a line whose newline has not arrived
  bool discarding = false;  // inside an oversize line, until its newline

  std::atomic<pthread_t> in_read{0};
};

StdioReader::StdioReader(int in_fd, std::size_t max_message_bytes) : state_(std::make_shared<State>()) {
  state_->fd = in_fd;
  state_->max_message_bytes = max_message_bytes;
}

StdioReader::~StdioReader() {
  for (auto& thread : threads_)
    if (thread.joinable()) thread.detach();
}

void StdioReader::batch_output_with(std::function<void()> hold, std::function<void()> release) {
  state_->hold_output = std::move(hold);
  state_->release_output = std::move(release);
}

void StdioReader::run(std::function<void(std::string_view)> on_line,
                      std::function<void(std::size_t)> on_oversize) {
  State& s = *state_;
  s.on_line = std::move(on_line);
  s.on_oversize = std::move(on_oversize);
  for (int i = 0; i < kThreads; ++i) threads_.emplace_back([state = state_] { serve(state); });
  std::unique_lock lock(s.mutex);
  // A thread whose call another took over may never come back (a stuck plugin): shutdown does not wait
  // for it here; the worker pool's deadline and stop() account for the call.
  s.exited.wait(lock, [&] { return s.done && s.threads_left + s.calls_taken_over == kThreads; });
  lock.unlock();
  for (auto& thread : threads_) thread.detach();
  threads_.clear();
}

void StdioReader::serve(const std::shared_ptr<State>& state) {
  State& s = *state;
  const auto self = std::this_thread::get_id();
  std::unique_lock lock(s.mutex);
  for (;;) {
    ++s.standing_by;
    while (!s.done && s.holder != std::thread::id()) {
      const auto now = Clock::now();
      if (s.holder_in_call) {
        if (now >= s.call_started + kHandOverAfter) break;
        s.role_changed.wait_until(lock, s.call_started + kHandOverAfter);
      } else if (s.standby_watching && now - s.last_call < kWatchFor) {
        s.role_changed.wait_for(lock, kWatchPeriod);
      } else {
        s.standby_watching = false;
        s.role_changed.wait(lock);
      }
    }
    --s.standing_by;
    if (s.done) break;
    if (s.holder != std::thread::id()) {
      // The holder is in a call that runs long: go on reading where it stopped. What it had read but not
      // framed is in its own buffer, which it will not touch again; copy it out.
      s.holder_in_call = false;
      ++s.calls_taken_over;
      std::string rest(s.unread);
      s.carry.swap(rest);
      s.unread = s.carry;
      log::debug("a call ran long on the stdio reading thread; the standby thread reads on");
    }
    s.holder = self;
    lock.unlock();
    // What the previous holder's burst answered (and what other threads wrote meanwhile) leaves now.
    if (s.release_output) s.release_output();
    read_while_holding(s);
    lock.lock();
    if (s.holder == self) s.holder = std::thread::id();
    if (s.done) break;
  }
  ++s.threads_left;
  s.exited.notify_all();
}

void StdioReader::read_while_holding(State& s) {
  constexpr std::size_t kBufferBytes = 64 * 1024;
  thread_local std::unique_ptr<char[]> buffer(new char[kBufferBytes]);
  thread_local std::string line;  // a line that arrived in more than one read
  const auto still_holder = [&s] {
    std::lock_guard lock(s.mutex);
    return s.holder == std::this_thread::get_id();
  };
  const auto hold = [&s] {
    if (s.hold_output) s.hold_output();
  };
  const auto release = [&s] {
    if (s.release_output) s.release_output();
  };
  for (;;) {
    std::string_view chunk = s.unread;
    if (!chunk.empty()) hold();
    while (!chunk.empty()) {
      const std::size_t newline = chunk.find('\n');
      const std::string_view piece = chunk.substr(0, newline);
      const std::string_view rest =
          newline == std::string_view::npos ? std::string_view() : chunk.substr(newline + 1);
      if (s.discarding) {
        if (newline != std::string_view::npos) s.discarding = false;
        chunk = rest;
        continue;
      }
      if (s.pending.size() + piece.size() > s.max_message_bytes) {
        s.pending.clear();
        s.discarding = newline == std::string_view::npos;
        chunk = rest;
        s.unread = chunk;
        s.on_oversize(s.max_message_bytes);
        continue;
      }
      if (newline == std::string_view::npos) {
        s.pending.append(piece);
        break;
      }
      std::string_view message = piece;
      if (!s.pending.empty()) {
        s.pending.append(piece);
        line.swap(s.pending);
        s.pending.clear();
        message = line;
      }
      if (!message.empty() && message.back() == '\r') message.remove_suffix(1);
      chunk = rest;
      s.unread = chunk;  // before the line runs: a thread taking over starts here
      s.on_line(message);
      if (!still_holder()) return;  // the thread that took over releases what waits
      chunk = s.unread;
    }
    s.unread = {};
    release();

    s.in_read.store(pthread_self());
    const ssize_t n = ::read(s.fd, buffer.get(), kBufferBytes);
    s.in_read.store(0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n < 0) log::error("reading stdin failed", {{"error", std::strerror(errno)}});
      // A final message without its newline still counts.
      if (!s.pending.empty() && !s.discarding) {
        line.clear();
        line.swap(s.pending);
        s.on_line(line);
        release();
      }
      std::lock_guard lock(s.mutex);
      s.done = true;
      s.role_changed.notify_all();
      s.exited.notify_all();
      return;
    }
    s.unread = std::string_view(buffer.get(), static_cast<std::size_t>(n));
  }
}

bool StdioReader::run_quick_call(const std::function<void()>& call) {
  State& s = *state_;
  const auto self = std::this_thread::get_id();
  bool tell_standby = false;
  {
    std::lock_guard lock(s.mutex);
    if (s.holder != self || s.holder_in_call || s.standing_by == 0 || s.done) return false;
    s.holder_in_call = true;
    s.call_started = s.last_call = Clock::now();
    // The standby sleeps until told while no call runs here; from now on it looks every kWatchPeriod.
    tell_standby = !s.standby_watching;
    s.standby_watching = true;
  }
  if (tell_standby) s.role_changed.notify_one();
  // Whether or not the call returns normally, this thread reads on or, when another took over, stands by.
  struct CallEnd {
    State& s;
    std::thread::id self;
    ~CallEnd() {
      std::lock_guard lock(s.mutex);
      s.last_call = Clock::now();
      if (s.holder == self) {
        s.holder_in_call = false;
      } else {
        --s.calls_taken_over;
        s.exited.notify_all();
      }
    }
  } end{s, self};
  call();
  return true;
}

void StdioReader::interrupt_read(int signal) {
  if (const pthread_t reading = state_->in_read.load(); reading != 0) pthread_kill(reading, signal);
}

}  // namespace mcpd::transport
