#pragma once
// What the load probe (loader/load_probe.hpp) said about each content, by
// SHA-256, so an unchanged file is test-loaded once. A file that loaded fine
// is also remembered on disk, in the staging root (private to mcpd's user,
// like the copies it vouches for): a restart does not test-load the same
// plugins again, which keeps start-up as fast as it was. A verdict on disk counts
// only for the build of mcpd that gave it. Verdicts against a
// file are kept in memory only, so a restart looks at such a file afresh.
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "loader/load_probe.hpp"
#include "trust/sha256.hpp"

namespace mcpd::hotswap {

class ProbeVerdicts {
 public:
  // `directory` empty: memory only (no staging area).
  explicit ProbeVerdicts(std::filesystem::path directory);

  std::optional<loader::LoadProbeVerdict> find(const trust::Sha256& digest) const;
  // Only conclusive verdicts are kept (a timeout may go the other way next time).
  void remember(const trust::Sha256& digest, const loader::LoadProbeVerdict& verdict);
  // Where a safe verdict on `digest` by this build is marked on disk; empty when nothing goes to disk.
  std::filesystem::path marker(const trust::Sha256& digest) const;

 private:
  static constexpr std::size_t kMaxEntries = 256;  // per store; cleared when full
  std::filesystem::path directory_;
  std::string prober_;  // the build of mcpd whose verdicts the directory holds (see prober_identity)
  std::map<std::string, loader::LoadProbeVerdict> in_memory_;
};

}  // namespace mcpd::hotswap
