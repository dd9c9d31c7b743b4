// Plugins are loaded only from files and directories that nobody but the
// service user or root can change.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "support/in_process_client.hpp"
#include "trust/file_policy.hpp"

using namespace hotswap_test;
namespace trust = mcpd::trust;
namespace fs = std::filesystem;

namespace {

struct stat stat_with(uid_t owner, mode_t mode) {
  struct stat st {};
  st.st_uid = owner;
  st.st_mode = mode;
  return st;
}

}  // namespace

TEST_CASE("file policy: owner and write bits decide, with the sticky exception for parents", "[policy]") {
  const uid_t me = 1000;
  CHECK_FALSE(trust::ownership_problem(stat_with(me, S_IFREG | 0755), me, "f"));
  CHECK_FALSE(trust::ownership_problem(stat_with(0, S_IFREG | 0644), me, "f"));
  auto foreign = trust::ownership_problem(stat_with(1234, S_IFREG | 0755), me, "the plugin file");
  REQUIRE(foreign);
  CHECK_THAT(*foreign, Catch::Contains("owned by uid 1234"));
  auto group = trust::ownership_problem(stat_with(me, S_IFREG | 0775), me, "f");
  REQUIRE(group);
  CHECK_THAT(*group, Catch::Contains("writable by its group (mode 0775)"));
  auto world = trust::ownership_problem(stat_with(me, S_IFDIR | 0777), me, "d");
  REQUIRE(world);
  CHECK_THAT(*world, Catch::Contains("writable by everyone"));
  // /tmp-like: fine as a parent, never as the plugins directory itself.
  CHECK_FALSE(trust::ownership_problem(stat_with(0, S_IFDIR | 01777), me, "/tmp", true));
  CHECK(trust::ownership_problem(stat_with(0, S_IFDIR | 01777), me, "/tmp", false));
  CHECK(trust::ownership_problem(stat_with(me, S_IFDIR | 01777), me, "d", true));  // sticky, but not root's
}

TEST_CASE("file policy: a group-writable plugin file or directory is refused, the old version stays",
          "[policy]") {
  InProcessServer server;
  deploy(server.plugins.path(), "swap.so", swap_plugin("v1"));
  REQUIRE(server.reload().published);
  InProcessClient client(*server.context);
  client.initialize();

  SECTION("group-writable file") {
    const auto file = deploy(server.plugins.path(), "swap.so", swap_plugin("v2"));
    fs::permissions(file, fs::perms::group_write, fs::perm_options::add);
    auto report = server.reload();
    CHECK_FALSE(report.published);
    REQUIRE(report.refused.size() == 1);
    CHECK_THAT(report.refused[0].reason, Catch::Contains("writable by its group"));
    CHECK(client.call_text("swap.which") == "1.0.0");
  }
  SECTION("world-writable directory") {
    deploy(server.plugins.path(), "swap.so", swap_plugin("v2"));
    fs::permissions(server.plugins.path(), fs::perms::others_write, fs::perm_options::add);
    auto report = server.reload();
    CHECK_FALSE(report.published);
    REQUIRE_FALSE(report.refused.empty());
    CHECK(report.refused[0].file == server.plugins.path());
    CHECK_THAT(report.refused[0].reason, Catch::Contains("writable by everyone"));
    // Its plugins are neither swapped nor removed: version 1 keeps serving.
    CHECK(client.call_text("swap.which") == "1.0.0");
    fs::permissions(server.plugins.path(), fs::perms::others_write, fs::perm_options::remove);
    CHECK(server.reload().published);
    CHECK(client.call_text("swap.which") == "2.0.0");
  }
  SECTION("a file owned by another user") {
    if (::geteuid() != 0) {
      WARN("not root: a file owned by another user cannot be made here; the pure policy test covers it");
    } else {
      const auto file = deploy(server.plugins.path(), "swap.so", swap_plugin("v2"));
      REQUIRE(::chown(file.c_str(), 65534, 65534) == 0);
      auto report = server.reload();
      CHECK_FALSE(report.published);
      REQUIRE(report.refused.size() == 1);
      CHECK_THAT(report.refused[0].reason, Catch::Contains("owned by uid 65534"));
      CHECK(client.call_text("swap.which") == "1.0.0");
    }
  }
}

TEST_CASE("file policy: a symbolic link to a file in an unsafe directory is refused", "[policy]") {
  InProcessServer server;
  ScratchDir elsewhere;
  const auto target = deploy(elsewhere.path(), "real.so", swap_plugin("v1"));
  fs::permissions(elsewhere.path(), fs::perms::group_write, fs::perm_options::add);
  fs::create_symlink(target, server.plugins / "swap.so");
  auto report = server.reload();
  CHECK_FALSE(report.published);
  REQUIRE(report.refused.size() == 1);
  CHECK_THAT(report.refused[0].reason, Catch::Contains("symbolic link"));
  CHECK_THAT(report.refused[0].reason, Catch::Contains("writable by its group"));
  // From a safe directory, a link is fine.
  fs::permissions(elsewhere.path(), fs::perms::group_write, fs::perm_options::remove);
  CHECK(server.reload(true).published);
  CHECK(server.manager->serving().size() == 1);
}
