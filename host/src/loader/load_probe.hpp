#pragma once
// Loading a plugin file in a short-lived child process before the host loads
// it. A corrupt or hostile ELF can crash the dynamic loader itself (a SIGSEGV
// inside _dl_relocate_object, before any plugin code runs), and no check in
// the host can catch that: so every new file is first dlopen()ed and
// negotiated by `mcpd plugin probe FILE` in a child, and only a file that
// survived that is loaded in the host. The child is started with posix_spawn
// (fork alone is unsafe in a multi-threaded host) and killed at the deadline.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace mcpd::loader {

struct LoadProbeVerdict {
  // True when the child loaded and negotiated the file, or refused it with an
  // ordinary error (which the host reports when it opens the file itself).
  bool safe = false;
  std::string problem;  // when !safe: "crashed with SIGSEGV while loading ...", "timed out ..."
  // False when the verdict may change on a retry (a timeout, no process to run the probe).
  bool conclusive = true;
};

// The mcpd executable that runs the probes. main() sets it to its own
// executable; tests that load plugins in-process set it to the built mcpd.
// Unset: probes are refused with a message saying so (never skipped).
void set_probe_executable(std::filesystem::path executable);
std::filesystem::path probe_executable();

// Probes every file at once (one child each) and waits up to `timeout` for
// all of them; the verdicts are in the order of `files`.
std::vector<LoadProbeVerdict> probe_plugin_loads(const std::vector<std::filesystem::path>& files,
                                                 std::chrono::milliseconds timeout);

// The body of `mcpd plugin probe FILE` (run in the child): 0 when the file
// loads and negotiates, 1 with the reason on stdout when it is refused.
int run_load_probe(const std::filesystem::path& file);

}  // namespace mcpd::loader
