// Remembering what the load probe said: a file that loaded fine is not
// test-loaded again, even by the next process; nothing else outlives one.
#include <catch2/catch.hpp>

#include "hotswap/probe_verdicts.hpp"
#include "loader/load_probe.hpp"
#include "support/plugin_dir.hpp"

using namespace hotswap_test;
using mcpd::hotswap::ProbeVerdicts;
using mcpd::loader::LoadProbeVerdict;

namespace {

mcpd::trust::Sha256 digest(unsigned char seed) {
  mcpd::trust::Sha256 d{};
  d.fill(seed);
  return d;
}

}  // namespace

TEST_CASE("probe verdicts: a safe file is remembered across processes, a crash only in memory", "[probe]") {
  ScratchDir root;
  const auto dir = root / "load-probe-ok";
  {
    ProbeVerdicts verdicts(dir);
    verdicts.remember(digest(1), LoadProbeVerdict{true, {}, true});
    verdicts.remember(digest(2), LoadProbeVerdict{false, "crashed with SIGSEGV while loading", true});
    verdicts.remember(digest(3), LoadProbeVerdict{false, "timed out", false});
    REQUIRE(verdicts.find(digest(2)));
    CHECK_FALSE(verdicts.find(digest(2))->safe);
    CHECK_FALSE(verdicts.find(digest(3)));  // a timeout is tried again
  }
  ProbeVerdicts next_process(dir);
  REQUIRE(next_process.find(digest(1)));
  CHECK(next_process.find(digest(1))->safe);
  CHECK_FALSE(next_process.find(digest(2)));
  CHECK_FALSE(next_process.find(digest(4)));
}

TEST_CASE("probe verdicts: only a plain file of mcpd's own user vouches for a content", "[probe]") {
  ScratchDir root;
  const auto dir = root / "load-probe-ok";
  ProbeVerdicts verdicts(dir);
  // A marker planted as a symbolic link (to anything) is not a verdict.
  REQUIRE_FALSE(verdicts.marker(digest(5)).empty());
  std::filesystem::create_symlink("/etc/hostname", verdicts.marker(digest(5)));
  CHECK_FALSE(verdicts.find(digest(5)));
}

TEST_CASE("probe verdicts: a verdict on disk counts only for the build of mcpd that gave it", "[probe]") {
  ScratchDir root;
  const auto dir = root / "load-probe-ok";
  const auto built_mcpd = mcpd::loader::probe_executable();
  // Two stand-ins for two builds of mcpd: only their identity on disk matters here.
  const auto older = deploy_bytes(root.path(), "mcpd-older", "one build");
  const auto newer = deploy_bytes(root.path(), "mcpd-newer", "another build");
  mcpd::loader::set_probe_executable(older);
  ProbeVerdicts(dir).remember(digest(6), LoadProbeVerdict{true, {}, true});
  CHECK(ProbeVerdicts(dir).find(digest(6)));
  mcpd::loader::set_probe_executable(newer);
  CHECK_FALSE(ProbeVerdicts(dir).find(digest(6)));
  mcpd::loader::set_probe_executable(built_mcpd);
}
