#include "loader/load_probe.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "loader/plugin_library.hpp"

extern char** environ;

namespace mcpd::loader {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Function-local statics: set_probe_executable() may run during static
// initialisation (tests), before this file's globals would be constructed.
struct ProbeExecutable {
  std::mutex mutex;
  fs::path path;
};
ProbeExecutable& probe_executable_setting() {
  static ProbeExecutable setting;
  return setting;
}

// What the child said, kept short: the first line is the reason.
constexpr std::size_t kMaxChildOutput = 4096;

// The child's last word. Its exit code alone is not a verdict: a hostile initialiser can _exit(0), and a
// sanitizer build turns a crash into exit 1.
constexpr std::string_view kVerdictOk = "mcpd-probe-verdict: ok";
constexpr std::string_view kVerdictRefused = "mcpd-probe-verdict: refused";

// The child's environment: the host's, with sanitizers told to let fatal signals kill the child, so a
// crash while loading is reported as the signal it is in sanitizer builds too (no effect otherwise).
std::vector<std::string> child_environment() {
  constexpr std::string_view keep_signals = "handle_segv=0:handle_sigbus=0:handle_sigill=0:handle_sigfpe=0";
  std::vector<std::string> env;
  bool asan_set = false, tsan_set = false;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text(*entry);
    for (auto [name, set] : {std::pair{std::string_view("ASAN_OPTIONS="), &asan_set},
                             std::pair{std::string_view("TSAN_OPTIONS="), &tsan_set}}) {
      if (!text.starts_with(name)) continue;
      text += std::string(text.size() > name.size() ? ":" : "") + std::string(keep_signals);
      *set = true;
    }
    env.push_back(std::move(text));
  }
  if (!asan_set) env.push_back("ASAN_OPTIONS=" + std::string(keep_signals));
  if (!tsan_set) env.push_back("TSAN_OPTIONS=" + std::string(keep_signals));
  return env;
}

struct Child {
  pid_t pid = -1;
  int output = -1;  // read end of the child's stdout+stderr
  std::string text;
  bool exited = false;
  int status = 0;
};

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.size() > 300 ? line.substr(0, 300) + "..." : line;
}

std::string signal_text(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return abbrev != nullptr ? "SIG" + std::string(abbrev) : "signal " + std::to_string(sig);
}

LoadProbeVerdict not_run(std::string why) {
  return {false, "could not test-load it in a child process (" + why + "); it is not loaded", false};
}

// Starts `mcpd plugin probe FILE` with its output on a pipe.
Child spawn_probe(const fs::path& executable, const fs::path& file, std::string& error) {
  Child child;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    return child;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  // Listening sockets and plugin files of the host stay out of the child.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
#endif
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // The host may block or ignore signals; the child starts with defaults so a
  // crash is reported as the signal it is.
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::string exe = executable.string(), command = "plugin", sub = "probe", path = file.string();
  char* argv[] = {exe.data(), command.data(), sub.data(), path.data(), nullptr};
  auto env_strings = child_environment();
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);
  const int rc = ::posix_spawn(&child.pid, exe.c_str(), &actions, &attributes, argv, envp.data());
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    child.pid = -1;
    error = "cannot start " + exe + ": " + std::strerror(rc);
    return child;
  }
  child.output = pipe_fds[0];
  return child;
}

// Reads what is there without blocking; closes the pipe at EOF.
void read_output(Child& child) {
  char buffer[1024];
  for (;;) {
    const ssize_t n = ::read(child.output, buffer, sizeof buffer);
    if (n > 0) {
      if (child.text.size() < kMaxChildOutput)
        child.text.append(
            buffer, std::min<std::size_t>(static_cast<std::size_t>(n), kMaxChildOutput - child.text.size()));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) {
      ::close(child.output);
      child.output = -1;
    }
    return;  // EOF, or EAGAIN
  }
}

LoadProbeVerdict verdict_of(const Child& child) {
  if (WIFSIGNALED(child.status))
    return {false,
            "crashed with " + signal_text(WTERMSIG(child.status)) +
                " while loading (in a test-load in a child process; the host is unharmed): the file is "
                "corrupt or not a plugin built for this system. Rebuild it or restore a good copy"};
  const int code = WIFEXITED(child.status) ? WEXITSTATUS(child.status) : -1;
  // 1 with its verdict: an ordinary refusal, reported in full when the host opens the file itself.
  if (code == 0 && child.text.find(kVerdictOk) != std::string::npos) return {true, {}};
  if (code == 1 && child.text.find(kVerdictRefused) != std::string::npos) return {true, {}};
  return {false, "the test-load in a child process ended without a verdict (exit " + std::to_string(code) +
                     (child.text.empty() ? std::string() : ": " + first_line(child.text)) +
                     "): its initialisers exit or abort the process"};
}

}  // namespace

void set_probe_executable(fs::path executable) {
  auto& setting = probe_executable_setting();
  std::lock_guard lock(setting.mutex);
  setting.path = std::move(executable);
}

fs::path probe_executable() {
  auto& setting = probe_executable_setting();
  std::lock_guard lock(setting.mutex);
  return setting.path;
}

std::vector<LoadProbeVerdict> probe_plugin_loads(const std::vector<fs::path>& files,
                                                 std::chrono::milliseconds timeout) {
  std::vector<LoadProbeVerdict> verdicts(files.size());
  const fs::path executable = probe_executable();
  std::vector<Child> children(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (executable.empty()) {
      verdicts[i] = not_run("no mcpd executable is set to run the probe");
      continue;
    }
    std::string error;
    children[i] = spawn_probe(executable, files[i], error);
    if (children[i].pid < 0)
      verdicts[i] = not_run(error);
    else
      ::fcntl(children[i].output, F_SETFL, O_NONBLOCK);
  }
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    std::vector<pollfd> fds;
    bool running = false;
    for (auto& c : children) {
      if (c.pid < 0 || c.exited) continue;
      if (c.output >= 0) fds.push_back({c.output, POLLIN, 0});
      if (::waitpid(c.pid, &c.status, WNOHANG) == c.pid) {
        c.exited = true;
        if (c.output >= 0) read_output(c);
      } else {
        running = true;
      }
    }
    if (!running) break;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    // Short sleeps: a child that closed its output may still be exiting.
    ::poll(fds.data(), fds.size(), static_cast<int>(std::min<long>(left, 5)));
    for (auto& c : children)
      if (c.output >= 0 && !c.exited) read_output(c);
  }
  for (std::size_t i = 0; i < children.size(); ++i) {
    Child& c = children[i];
    if (c.pid < 0) continue;
    if (!c.exited) {
      ::kill(c.pid, SIGKILL);
      while (::waitpid(c.pid, &c.status, 0) < 0 && errno == EINTR) {
      }
      verdicts[i] = {false,
                     "timed out: loading it in a test-load in a child process took longer than " +
                         std::to_string(timeout.count()) +
                         " ms (plugins.probe_timeout_ms); its initialisers may hang",
                     false};
    } else {
      verdicts[i] = verdict_of(c);
    }
    if (c.output >= 0) ::close(c.output);
  }
  return verdicts;
}

int run_load_probe(const fs::path& file) {
  // A crash here is the expected outcome for a bad file: no core dump for it.
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  std::string error;
  auto library = NegotiatedLibrary::open(file, error);
  if (!library) {
    std::printf("%s\n%.*s\n", error.c_str(), static_cast<int>(kVerdictRefused.size()),
                kVerdictRefused.data());
    std::fflush(stdout);
    return 1;
  }
  std::printf("ok: %s %s\n%.*s\n", library->info().plugin_namespace.c_str(), library->info().version.c_str(),
              static_cast<int>(kVerdictOk.size()), kVerdictOk.data());
  std::fflush(stdout);
  // Leave without running the plugin's destructors or on_shutdown: only the load was in question.
  ::_exit(0);
}

}  // namespace mcpd::loader
