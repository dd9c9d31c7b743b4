// A child process driven over pipes, for end-to-end tests of the mcpd
// executable (stdio today, HTTP tests reuse it to run the server).
//
// Nothing here can hang a test: every read and write has a deadline, a
// background thread drains stdout and stderr (so the child never blocks on a
// full pipe), and the destructor kills the child if it is still running.
#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace mcpd_test {

using std::chrono::milliseconds;

// How long mcpd may take to start serving. Generous on purpose: it bounds a wait, not a speed. Under TSan on
// a loaded 2-core CI machine, loading the shipped plugins alone once took over 20 s (about 0.1 s in an
// ordinary build on a quiet one).
inline constexpr milliseconds kStartupTimeout{120000};

// What a child left behind after running to completion.
struct ProcessOutcome {
  // The exit status, or 128 + the signal number when a signal ended it.
  int exit_code = -1;
  std::string stdout_text;
  std::string stderr_text;
};

class ChildProcess {
 public:
  // Starts argv[0] (a path, not searched in PATH) with stdin, stdout and stderr
  // on pipes. The environment is the test's own minus every MCPD_* variable and
  // plugin credential (so a developer's shell cannot change results), plus
  // `extra_environment` entries of the form NAME=value. Throws on failure.
  explicit ChildProcess(std::vector<std::string> argv, std::vector<std::string> extra_environment = {});
  ~ChildProcess();

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Writes all of `bytes` to the child's stdin; throws when the child closed
  // it or nothing could be written for `timeout`.
  void write(std::string_view bytes, milliseconds timeout = milliseconds(5000));
  void write_line(std::string_view line, milliseconds timeout = milliseconds(5000));
  void close_stdin();

  // The next line of stdout without its '\n'; nullopt when none arrived in
  // time or stdout is closed (a final unterminated line is still returned).
  std::optional<std::string> read_line(milliseconds timeout);
  // True once stdout reached EOF and every buffered line has been read.
  bool stdout_finished();

  // Everything written to stderr so far.
  std::string stderr_text();
  // Waits until stderr contains `needle`; false on timeout.
  bool wait_for_stderr(std::string_view needle, milliseconds timeout);
  // Waits until both stdout and stderr reached EOF; false on timeout.
  bool wait_for_output_end(milliseconds timeout);

  // The exit code (see ProcessOutcome) once the child exited; nullopt if it is
  // still running after `timeout`.
  std::optional<int> wait_exit(milliseconds timeout);
  // SIGKILL and reap (no-op once reaped).
  void kill();

 private:
  void drain_pipes();
  // Appends what `fd` (non-blocking) holds now, up to 1 MiB; false once it reached end of file.
  static bool read_available(int fd, std::string& into, std::array<char, 65536>& chunk);

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::optional<int> exit_code_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::string stdout_buffer_;
  std::string stderr_buffer_;
  bool stdout_closed_ = false;
  bool stderr_closed_ = false;
  bool stop_ = false;
  std::thread reader_;
};

// Waits (up to kStartupTimeout) for `mcpd serve --http` to log "transport=http address=HOST:PORT" and returns
// HOST:PORT; throws with the child's stderr when it exits or stays silent.
std::string await_http_address(ChildProcess& server);

// Runs a command with stdin closed until it exits; kills it and throws if it
// is still running after `timeout`.
ProcessOutcome run_to_completion(std::vector<std::string> argv, milliseconds timeout,
                                 std::vector<std::string> extra_environment = {});

}  // namespace mcpd_test
