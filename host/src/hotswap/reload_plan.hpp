#pragma once
// What one reload will do, decided without touching a file or a library: the
// versions serving now and the new files that negotiated in, and out comes a
// plan of loads, swaps, refusals and retirements. The plugin manager executes
// it (starting plugins can still fail; it then plans again without them).
//
// Who serves a namespace claimed by several files (docs/hot-swap.md,
// "Two files, one namespace"), in this order:
//  1. a file named one by one (plugins.files, --plugin) over one found in a
//     plugins directory: it was chosen explicitly;
//  2. the highest plugin version (plugin_version.hpp);
//  3. at equal versions, the file serving the namespace now keeps it;
//  4. otherwise, identical copies (same SHA-256): the first by path;
//  5. otherwise nobody: different builds claim to be the same version, and
//     guessing could serve the wrong code; every one of them is refused.
// Every such namespace yields one warning naming all its files.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "trust/sha256.hpp"

namespace mcpd::hotswap {

// A version serving now, from `file`.
struct ServingVersion {
  std::filesystem::path file;
  std::string plugin_namespace, version;
  trust::Sha256 sha256{};
  bool named_explicitly = false;
  // Found by this scan (or kept because its directory could not be checked).
  // A serving file that is not present any more is retired.
  bool present = true;
};

// A new or changed file that negotiated in this reload.
struct NewVersion {
  std::filesystem::path file;
  std::string plugin_namespace, version;
  trust::Sha256 sha256{};
  bool named_explicitly = false;
  // Set by the commit step when it could not be started or its names collide:
  // planned as if it were not there (the version serving from its file stays).
  bool failed = false;
};

struct ReloadPlanInput {
  std::vector<std::filesystem::path> load_order;  // every file this reload knows, in load order
  std::vector<ServingVersion> serving;
  std::vector<NewVersion> candidates;
};

struct ReloadPlan {
  struct Start {
    std::filesystem::path file;
    bool swap = false;  // true: replaces the version serving from the same file; false: a new load
  };
  struct Refusal {
    std::filesystem::path file;
    std::string reason;
  };
  std::vector<Start> start;                          // new versions to start, in load order
  std::vector<std::filesystem::path> keep;           // serving versions that stay
  std::vector<std::filesystem::path> retire;         // serving versions that go
  std::vector<Refusal> refused;                      // files that lost their namespace (new or serving)
  std::vector<std::string> duplicates;               // one warning per namespace several files claim
  std::vector<std::filesystem::path> serving_order;  // files serving afterwards, in load order

  bool changes_serving() const { return !start.empty() || !retire.empty(); }
};

ReloadPlan plan_reload(const ReloadPlanInput& input);

}  // namespace mcpd::hotswap
