#include "mcpd_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

extern char** environ;

namespace mcpd_test {
namespace {

constexpr int kPollSliceMs = 50;

[[noreturn]] void fail_with_errno(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

// Variables that would make a test depend on the shell it was started from.
bool inherited_variable_is_excluded(std::string_view entry) {
  constexpr std::array<std::string_view, 5> kPrefixes = {"MCPD_", "POSTHOG_", "GEMINI_", "TRACKING_",
                                                         "OPENAI_"};
  for (auto prefix : kPrefixes) {
    if (entry.starts_with(prefix)) return true;
  }
  return false;
}

std::vector<std::string> child_environment(const std::vector<std::string>& extra) {
  // An extra NAME=value replaces the inherited NAME (getenv would find whichever comes first).
  const auto overridden = [&extra](std::string_view entry) {
    const auto name = entry.substr(0, entry.find('=') + 1);
    return std::any_of(extra.begin(), extra.end(), [&](const std::string& e) { return e.starts_with(name); });
  };
  std::vector<std::string> result;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!inherited_variable_is_excluded(*entry) && !overridden(*entry)) result.emplace_back(*entry);
  }
  result.insert(result.end(), extra.begin(), extra.end());
  return result;
}

std::vector<char*> as_c_array(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (auto& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

struct Pipe {
  int read_end = -1;
  int write_end = -1;
};

Pipe make_pipe() {
  int fds[2];
  // Close-on-exec so the child inherits only the ends dup2'ed onto 0/1/2.
  if (::pipe2(fds, O_CLOEXEC) != 0) fail_with_errno("pipe2");
  return {fds[0], fds[1]};
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

int decode_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, std::vector<std::string> extra_environment) {
  if (argv.empty()) throw std::invalid_argument("ChildProcess: empty argv");
  // A write to a child that already exited must be an error we report, not a
  // signal that kills the test runner.
  ::signal(SIGPIPE, SIG_IGN);

  Pipe in = make_pipe();
  Pipe out = make_pipe();
  Pipe err = make_pipe();

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read_end, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write_end, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write_end, STDERR_FILENO);

  auto environment = child_environment(extra_environment);
  auto c_argv = as_c_array(argv);
  auto c_environment = as_c_array(environment);
  const int spawn_error =
      ::posix_spawn(&pid_, argv[0].c_str(), &actions, nullptr, c_argv.data(), c_environment.data());
  posix_spawn_file_actions_destroy(&actions);

  close_fd(in.read_end);
  close_fd(out.write_end);
  close_fd(err.write_end);
  if (spawn_error != 0) {
    close_fd(in.write_end);
    close_fd(out.read_end);
    close_fd(err.read_end);
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(spawn_error));
  }
  stdin_fd_ = in.write_end;
  stdout_fd_ = out.read_end;
  stderr_fd_ = err.read_end;
  for (const int fd : {stdin_fd_, stdout_fd_, stderr_fd_})
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  reader_ = std::thread([this] { drain_pipes(); });
}

ChildProcess::~ChildProcess() {
  close_stdin();
  kill();
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  if (reader_.joinable()) reader_.join();
  close_fd(stdout_fd_);
  close_fd(stderr_fd_);
}

void ChildProcess::drain_pipes() {
  std::array<char, 65536> chunk;
  for (;;) {
    std::array<pollfd, 2> watched{};
    nfds_t count = 0;
    {
      std::lock_guard lock(mutex_);
      if (stop_ || (stdout_closed_ && stderr_closed_)) return;
      if (!stdout_closed_) watched[count++] = {stdout_fd_, POLLIN, 0};
      if (!stderr_closed_) watched[count++] = {stderr_fd_, POLLIN, 0};
    }
    // A timeout, not a blocking read, so the destructor can stop this thread
    // even if some grandchild keeps a pipe open.
    if (::poll(watched.data(), count, kPollSliceMs) < 0 && errno != EINTR) return;
    for (nfds_t i = 0; i < count; ++i) {
      if (watched[i].revents == 0) continue;
      // Read under the lock: stderr_text() reads the same pipe, and the chunks must stay in order.
      std::lock_guard lock(mutex_);
      const bool is_stdout = watched[i].fd == stdout_fd_;
      if (!read_available(watched[i].fd, is_stdout ? stdout_buffer_ : stderr_buffer_, chunk))
        (is_stdout ? stdout_closed_ : stderr_closed_) = true;
      changed_.notify_all();
    }
  }
}

bool ChildProcess::read_available(int fd, std::string& into, std::array<char, 65536>& chunk) {
  // Bounded, so that a child that never stops writing cannot keep the lock from the test's thread.
  for (int reads = 0; reads < 16;) {
    const ssize_t got = ::read(fd, chunk.data(), chunk.size());
    if (got > 0) {
      into.append(chunk.data(), static_cast<std::size_t>(got));
      ++reads;
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    return got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);  // false: end of file, or an error
  }
  return true;
}

void ChildProcess::write(std::string_view bytes, milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!bytes.empty()) {
    if (stdin_fd_ < 0) throw std::runtime_error("write to the child after its stdin was closed");
    const ssize_t written = ::write(stdin_fd_, bytes.data(), bytes.size());
    if (written > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(written));
      continue;
    }
    if (written < 0 && errno == EINTR) continue;
    if (written < 0 && errno != EAGAIN) fail_with_errno("write to the child's stdin");
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw std::runtime_error("the child did not read its stdin in time");
    pollfd watched{stdin_fd_, POLLOUT, 0};
    ::poll(&watched, 1, static_cast<int>(std::min<long long>(left.count(), kPollSliceMs)));
  }
}

void ChildProcess::write_line(std::string_view line, milliseconds timeout) {
  std::string framed(line);
  framed.push_back('\n');
  write(framed, timeout);
}

void ChildProcess::close_stdin() {
  close_fd(stdin_fd_);
}

std::optional<std::string> ChildProcess::read_line(milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout,
                    [this] { return stdout_buffer_.find('\n') != std::string::npos || stdout_closed_; });
  const auto newline = stdout_buffer_.find('\n');
  if (newline != std::string::npos) {
    std::string line = stdout_buffer_.substr(0, newline);
    stdout_buffer_.erase(0, newline + 1);
    return line;
  }
  if (stdout_closed_ && !stdout_buffer_.empty()) return std::exchange(stdout_buffer_, {});
  return std::nullopt;
}

bool ChildProcess::stdout_finished() {
  std::lock_guard lock(mutex_);
  return stdout_closed_ && stdout_buffer_.empty();
}

std::string ChildProcess::stderr_text() {
  // What the child wrote before the answer a test just read is in the pipe by now, but perhaps not yet
  // in the buffer: the draining thread may not have got to it. Take it here, so that a check of the log
  // after an answer sees every line logged before that answer.
  std::lock_guard lock(mutex_);
  if (!stderr_closed_ && stderr_fd_ >= 0) {
    std::array<char, 65536> chunk;
    if (!read_available(stderr_fd_, stderr_buffer_, chunk)) stderr_closed_ = true;
  }
  return stderr_buffer_;
}

bool ChildProcess::wait_for_stderr(std::string_view needle, milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return stderr_buffer_.find(needle) != std::string::npos || stderr_closed_;
  }) && stderr_buffer_.find(needle) != std::string::npos;
}

bool ChildProcess::wait_for_output_end(milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return stdout_closed_ && stderr_closed_; });
}

std::optional<int> ChildProcess::wait_exit(milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!exit_code_) {
    int status = 0;
    const pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
    if (reaped == pid_) {
      exit_code_ = decode_wait_status(status);
      break;
    }
    if (reaped < 0 && errno != EINTR) fail_with_errno("waitpid");
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return exit_code_;
}

void ChildProcess::kill() {
  if (exit_code_ || pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exit_code_ = decode_wait_status(status);
}

std::string await_http_address(ChildProcess& server) {
  constexpr std::string_view kMarker = "transport=http address=";
  if (!server.wait_for_stderr(kMarker, kStartupTimeout))
    throw std::runtime_error("mcpd did not report its HTTP address; stderr:\n" + server.stderr_text());
  const std::string log = server.stderr_text();
  const auto at = log.find(kMarker) + kMarker.size();
  return log.substr(at, log.find_first_of(" \n", at) - at);
}

ProcessOutcome run_to_completion(std::vector<std::string> argv, milliseconds timeout,
                                 std::vector<std::string> extra_environment) {
  const std::string command = argv.at(0);
  ChildProcess child(std::move(argv), std::move(extra_environment));
  child.close_stdin();
  const auto exit_code = child.wait_exit(timeout);
  if (!exit_code) {
    child.kill();
    throw std::runtime_error(command + " was still running after " + std::to_string(timeout.count()) +
                             " ms; stderr so far:\n" + child.stderr_text());
  }
  // The pipes may still hold output the reader has not collected yet.
  child.wait_for_output_end(milliseconds(2000));
  ProcessOutcome outcome;
  outcome.exit_code = *exit_code;
  while (auto line = child.read_line(milliseconds(0))) outcome.stdout_text += *line + "\n";
  outcome.stderr_text = child.stderr_text();
  return outcome;
}

}  // namespace mcpd_test
