#pragma once
// The reading half of MCP over stdio: newline-delimited JSON-RPC on stdin. A line longer than the
// configured limit is discarded and reported without ending the session.
//
// Quick calls run on the thread that read them (run_quick_call), which saves the hand-off to a worker:
// a thread wake-up and two context switches per call. Reading must never wait on a call, so two threads
// share the reader's role. One reads; the other stands by. When a call on the reading thread is still
// running kHandOverAfter after it started (a tool that is usually quick met a slow network, say), the
// standby takes the role and goes on reading where the first one stopped, so ping, cancellation and other
// calls are answered as before; the first thread stands by once its call returns. A call runs on the
// reading thread only while another thread stands by.
#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace mcpd::transport {

class StdioReader {
 public:
  using Clock = std::chrono::steady_clock;
  // How long a call may hold the reading thread before the standby thread takes over reading.
  static constexpr std::chrono::milliseconds kHandOverAfter{2};

  StdioReader(int in_fd, std::size_t max_message_bytes);
  ~StdioReader();
  StdioReader(const StdioReader&) = delete;
  StdioReader& operator=(const StdioReader&) = delete;

  // Reads until EOF (or a read error), calling `on_line` for every line and `on_oversize` for every line
  // that exceeded the limit, on the reader's own threads; returns on the calling thread at EOF. `on_line`
  // may use its view only until it calls run_quick_call.
  void run(std::function<void(std::string_view)> on_line, std::function<void(std::size_t limit)> on_oversize);

  // Called before run(): `hold` when the reader starts on input it has read, `release` when that is done
  // and before it waits for more (or hands its role over): StdioWriter::hold and release, so that the
  // answers to a burst of requests leave in one write.
  void batch_output_with(std::function<void()> hold, std::function<void()> release);

  // Runs `call` on this thread when it is the reading thread and another thread stands by to take over
  // reading if the call runs long; false, without running it, otherwise.
  bool run_quick_call(const std::function<void()>& call);

  // Wakes the thread blocked in read() with `signal` (whose handler must do nothing and must not be
  // SA_RESTART), so that it reads again: whoever replaced stdin with /dev/null ends the reading this way.
  void interrupt_read(int signal);

 private:
  struct State;
  static void serve(const std::shared_ptr<State>& state);
  // Reads and frames lines while this thread holds the role; returns when it lost it or input ended.
  static void read_while_holding(State& state);

  std::shared_ptr<State> state_;
  std::vector<std::thread> threads_;
};

}  // namespace mcpd::transport
