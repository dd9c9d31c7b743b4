// The planning step of a reload on its own: versions serving and new files
// in, loads, swaps, refusals and retirements out. No .so file is involved.
#include <catch2/catch.hpp>

#include <algorithm>

#include "hotswap/plugin_version.hpp"
#include "hotswap/reload_plan.hpp"

using namespace mcpd::hotswap;
namespace fs = std::filesystem;

namespace {

mcpd::trust::Sha256 digest(unsigned char seed) {
  mcpd::trust::Sha256 d{};
  d.fill(seed);
  return d;
}

ServingVersion serving(const char* file, const char* ns, const char* version, unsigned char bytes = 1) {
  return {file, ns, version, digest(bytes), false, true};
}

NewVersion fresh(const char* file, const char* ns, const char* version, unsigned char bytes = 2) {
  return {file, ns, version, digest(bytes), false, false};
}

bool has(const std::vector<fs::path>& files, const char* file) {
  return std::find(files.begin(), files.end(), fs::path(file)) != files.end();
}

std::vector<fs::path> started(const ReloadPlan& plan) {
  std::vector<fs::path> out;
  for (const auto& s : plan.start) out.push_back(s.file);
  return out;
}

const ReloadPlan::Refusal* refusal_of(const ReloadPlan& plan, const char* file) {
  for (const auto& r : plan.refused)
    if (r.file == file) return &r;
  return nullptr;
}

}  // namespace

TEST_CASE("plugin versions are ordered as semantic versions", "[plan][version]") {
  CHECK(compare_plugin_versions("1.10.0", "1.9.0") > 0);
  CHECK(compare_plugin_versions("2.0.0", "10.0.0") < 0);
  CHECK(compare_plugin_versions("1.0.0-rc1", "1.0.0") < 0);
  CHECK(compare_plugin_versions("1.0.0-rc2", "1.0.0-rc10") < 0);
  CHECK(compare_plugin_versions("1.0.0+build5", "1.0.0+build6") == 0);
  CHECK(compare_plugin_versions("1.2.3", "1.2.3") == 0);
}

TEST_CASE("plan: a new file loads, a changed file swaps, a vanished file retires", "[plan]") {
  ReloadPlanInput in;
  in.load_order = {"/p/a.so", "/p/b.so", "/p/c.so"};
  in.serving = {serving("/p/a.so", "a", "1.0.0"), serving("/p/gone.so", "gone", "1.0.0")};
  in.serving[1].present = false;
  in.candidates = {fresh("/p/a.so", "a", "1.1.0"), fresh("/p/b.so", "b", "1.0.0")};
  const auto plan = plan_reload(in);
  REQUIRE(plan.start.size() == 2);
  CHECK(plan.start[0].file == "/p/a.so");
  CHECK(plan.start[0].swap);
  CHECK(plan.start[1].file == "/p/b.so");
  CHECK_FALSE(plan.start[1].swap);
  CHECK(has(plan.retire, "/p/a.so"));  // the old version of a swapped file
  CHECK(has(plan.retire, "/p/gone.so"));
  CHECK(plan.keep.empty());
  CHECK(plan.refused.empty());
  CHECK(plan.duplicates.empty());
  CHECK(plan.serving_order == std::vector<fs::path>{"/p/a.so", "/p/b.so"});
}

TEST_CASE("plan: a new version that failed to start leaves the old one serving", "[plan]") {
  ReloadPlanInput in;
  in.load_order = {"/p/a.so"};
  in.serving = {serving("/p/a.so", "a", "1.0.0")};
  in.candidates = {fresh("/p/a.so", "a", "2.0.0")};
  in.candidates[0].failed = true;
  const auto plan = plan_reload(in);
  CHECK(plan.start.empty());
  CHECK(plan.keep == std::vector<fs::path>{"/p/a.so"});
  CHECK(plan.retire.empty());
  CHECK_FALSE(plan.changes_serving());
}

TEST_CASE("plan: at start-up the highest version wins a namespace whatever the file names",
          "[plan][duplicate]") {
  ReloadPlanInput in;
  in.load_order = {"/p/aa_old_backup.so", "/p/weather.so"};
  in.candidates = {fresh("/p/aa_old_backup.so", "weather", "1.4.0", 1),
                   fresh("/p/weather.so", "weather", "1.10.0", 2)};
  const auto plan = plan_reload(in);
  CHECK(started(plan) == std::vector<fs::path>{"/p/weather.so"});
  const auto* refused = refusal_of(plan, "/p/aa_old_backup.so");
  REQUIRE(refused != nullptr);
  CHECK_THAT(refused->reason,
             Catch::Contains("/p/weather.so (1.10.0)") && Catch::Contains("highest version"));
  REQUIRE(plan.duplicates.size() == 1);
  CHECK_THAT(plan.duplicates[0], Catch::Contains("/p/aa_old_backup.so (1.4.0)") &&
                                     Catch::Contains("/p/weather.so (1.10.0)") &&
                                     Catch::Contains("/p/weather.so serves it"));
  // The same files in the other load order give the same answer.
  std::swap(in.candidates[0], in.candidates[1]);
  std::reverse(in.load_order.begin(), in.load_order.end());
  CHECK(started(plan_reload(in)) == std::vector<fs::path>{"/p/weather.so"});
}

TEST_CASE("plan: a file named explicitly wins over a directory's file of a higher version",
          "[plan][duplicate]") {
  ReloadPlanInput in;
  in.load_order = {"/etc/mcpd/hello.so", "/p/impostor.so"};
  in.candidates = {fresh("/etc/mcpd/hello.so", "hello", "1.0.0", 1),
                   fresh("/p/impostor.so", "hello", "9.9.9", 2)};
  in.candidates[0].named_explicitly = true;
  const auto plan = plan_reload(in);
  CHECK(started(plan) == std::vector<fs::path>{"/etc/mcpd/hello.so"});
  REQUIRE(refusal_of(plan, "/p/impostor.so") != nullptr);
  CHECK_THAT(refusal_of(plan, "/p/impostor.so")->reason, Catch::Contains("plugins.files"));
}

TEST_CASE("plan: a higher version in another file takes a served namespace over", "[plan][duplicate]") {
  ReloadPlanInput in;
  in.load_order = {"/p/another.so", "/p/swap.so"};
  in.serving = {serving("/p/swap.so", "swap", "1.0.0")};
  in.candidates = {fresh("/p/another.so", "swap", "2.0.0")};
  const auto plan = plan_reload(in);
  CHECK(started(plan) == std::vector<fs::path>{"/p/another.so"});
  CHECK_FALSE(plan.start[0].swap);
  CHECK(plan.retire == std::vector<fs::path>{"/p/swap.so"});
  REQUIRE(plan.refused.size() == 1);
  CHECK(plan.refused[0].file == "/p/swap.so");
  CHECK_THAT(plan.refused[0].reason, Catch::Contains("/p/another.so (2.0.0)"));
  CHECK(plan.duplicates.size() == 1);
}

TEST_CASE("plan: a lower or equal version in another file is refused, the served one stays",
          "[plan][duplicate]") {
  const char* version = GENERATE("0.9.0", "1.0.0");
  ReloadPlanInput in;
  in.load_order = {"/p/aaa.so", "/p/swap.so"};
  in.serving = {serving("/p/swap.so", "swap", "1.0.0", 1)};
  in.candidates = {fresh("/p/aaa.so", "swap", version, 2)};
  const auto plan = plan_reload(in);
  CHECK(plan.start.empty());
  CHECK(plan.keep == std::vector<fs::path>{"/p/swap.so"});
  CHECK(plan.retire.empty());
  REQUIRE(refusal_of(plan, "/p/aaa.so") != nullptr);
  CHECK_THAT(refusal_of(plan, "/p/aaa.so")->reason, Catch::Contains("/p/swap.so"));
}

TEST_CASE("plan: equal versions with different contents and nobody serving: both refused",
          "[plan][duplicate]") {
  ReloadPlanInput in;
  in.load_order = {"/p/a.so", "/p/b.so", "/p/other.so"};
  in.candidates = {fresh("/p/a.so", "x", "1.0.0", 1), fresh("/p/b.so", "x", "1.0.0", 2),
                   fresh("/p/other.so", "other", "1.0.0", 3)};
  const auto plan = plan_reload(in);
  CHECK(started(plan) == std::vector<fs::path>{"/p/other.so"});
  REQUIRE(plan.refused.size() == 2);
  for (const auto& r : plan.refused) {
    CHECK_THAT(r.reason,
               Catch::Contains("/p/a.so") && Catch::Contains("/p/b.so") && Catch::Contains("Remove"));
  }
  REQUIRE(plan.duplicates.size() == 1);
  CHECK_THAT(plan.duplicates[0], Catch::Contains("none is loaded"));
}

TEST_CASE("plan: identical copies of one version: the first in load order serves", "[plan][duplicate]") {
  ReloadPlanInput in;
  in.load_order = {"/p/a.so", "/p/b.so"};
  in.candidates = {fresh("/p/b.so", "x", "1.0.0", 7), fresh("/p/a.so", "x", "1.0.0", 7)};
  const auto plan = plan_reload(in);
  CHECK(started(plan) == std::vector<fs::path>{"/p/a.so"});
  REQUIRE(refusal_of(plan, "/p/b.so") != nullptr);
  CHECK_THAT(refusal_of(plan, "/p/b.so")->reason, Catch::Contains("identical copies"));
}

TEST_CASE("plan: two new builds of one version do not unseat the version serving", "[plan][duplicate]") {
  ReloadPlanInput in;
  in.load_order = {"/p/a.so", "/p/b.so", "/p/x.so"};
  in.serving = {serving("/p/x.so", "x", "1.0.0", 1)};
  in.candidates = {fresh("/p/a.so", "x", "2.0.0", 2), fresh("/p/b.so", "x", "2.0.0", 3)};
  const auto plan = plan_reload(in);
  CHECK(plan.start.empty());
  CHECK(plan.keep == std::vector<fs::path>{"/p/x.so"});
  CHECK(plan.retire.empty());
  CHECK(plan.refused.size() == 2);
}

TEST_CASE("plan: when the winner fails to start, the next in line serves", "[plan][duplicate]") {
  ReloadPlanInput in;
  in.load_order = {"/p/a.so", "/p/b.so"};
  in.serving = {serving("/p/a.so", "x", "1.0.0", 1)};
  in.candidates = {fresh("/p/b.so", "x", "2.0.0", 2)};
  CHECK(started(plan_reload(in)) == std::vector<fs::path>{"/p/b.so"});
  in.candidates[0].failed = true;
  const auto plan = plan_reload(in);
  CHECK(plan.start.empty());
  CHECK(plan.keep == std::vector<fs::path>{"/p/a.so"});
  CHECK(plan.retire.empty());
}

TEST_CASE("plan: a changed file that loses its namespace leaves its old version serving",
          "[plan][duplicate]") {
  ReloadPlanInput in;
  in.load_order = {"/p/a.so", "/p/b.so"};
  in.serving = {serving("/p/a.so", "a", "1.0.0", 1), serving("/p/b.so", "b", "3.0.0", 2)};
  // a.so now claims b's namespace with a lower version.
  in.candidates = {fresh("/p/a.so", "b", "2.0.0", 3)};
  const auto plan = plan_reload(in);
  CHECK(plan.start.empty());
  CHECK(plan.keep == std::vector<fs::path>{"/p/a.so", "/p/b.so"});
  CHECK(plan.retire.empty());
  REQUIRE(plan.refused.size() == 1);
  CHECK(plan.refused[0].file == "/p/a.so");
  CHECK_THAT(plan.refused[0].reason, Catch::Contains("/p/b.so (3.0.0)"));
}
