// Every way a new version can be unusable leaves the old version answering,
// with the reason in the log, in the admin state and in the metrics, and
// without telling clients that anything changed.
#include <catch2/catch.hpp>

#include "support/in_process_client.hpp"

using namespace hotswap_test;

namespace {

struct BadVersion {
  const char* kind;
  std::filesystem::path file;
  const char* reason;  // a part of the refusal that names the problem
};

std::vector<BadVersion> bad_versions() {
  return {
      {"wrong ABI", broken_plugin("wrong_abi_major"), "ABI version mismatch"},
      {"missing entry symbol", broken_plugin("missing_symbol"), "mcpd_plugin_negotiate is missing"},
      {"unresolved symbol", swap_plugin("unresolved"), "mcpd_hotswap_test_symbol_that_does_not_exist"},
      {"init fails", swap_plugin("init_fails"), "init fails on purpose"},
      {"init throws", swap_plugin("init_throws"), "swap_init_throws: deliberate exception from on_init"},
      {"invalid tool table", swap_plugin("bad_tools"), "invalid registrations"},
  };
}

std::string metrics_line_for(const std::string& metrics, const std::string& file) {
  const std::string needle = "mcpd_plugin_refused{file=\"" + file + "\"} 1";
  return metrics.find(needle) != std::string::npos ? needle : std::string();
}

}  // namespace

TEST_CASE("every kind of broken new version leaves the old version serving", "[failure]") {
  InProcessServer server;
  const auto target = deploy(server.plugins.path(), "swap.so", swap_plugin("v1"));
  REQUIRE(server.reload().published);
  InProcessClient client(*server.context);
  client.initialize();
  const auto generation = server.manager->generation();

  for (const auto& bad : bad_versions()) {
    DYNAMIC_SECTION(bad.kind) {
      deploy(server.plugins.path(), "swap.so", bad.file);
      auto report = server.reload();
      CHECK_FALSE(report.published);
      REQUIRE(report.refused.size() == 1);
      CHECK(report.refused[0].file == target);
      CHECK_THAT(report.refused[0].reason, Catch::Contains(bad.reason));
      CHECK(report.refused[0].kept == "swap 1.0.0 keeps serving");

      CHECK(client.call_text("swap.which") == "1.0.0");
      CHECK(server.manager->generation() == generation);
      CHECK(client.count("notifications/tools/list_changed") == 0);

      // Visible to operators: admin state and metrics.
      auto state = server.manager->plugin_state();
      REQUIRE(state.at("refused").as_array().size() == 1);
      const auto& refused = state.at("refused").as_array().at(0).as_object();
      CHECK(refused.at("file").as_string() == target.string());
      CHECK_THAT(std::string(refused.at("reason").as_string()), Catch::Contains(bad.reason));
      CHECK(state.at("plugins").as_array().at(0).at("version").as_string() == "1.0.0");
      CHECK_FALSE(metrics_line_for(server.manager->plugin_metrics(), target.string()).empty());

      // The same broken file is not tried again at every file event ...
      CHECK(server.reload().refused.size() == 1);
      // ... and the good version coming back clears the refusal without a swap.
      deploy(server.plugins.path(), "swap.so", swap_plugin("v1"));
      auto restored = server.reload();
      CHECK_FALSE(restored.published);
      CHECK(restored.refused.empty());
      CHECK(server.manager->plugin_state().at("refused").as_array().empty());
      CHECK(metrics_line_for(server.manager->plugin_metrics(), target.string()).empty());
    }
  }
}

TEST_CASE("a lower version in another file claiming a served namespace is refused, the served one stays",
          "[failure][collision][duplicate]") {
  InProcessServer server;
  deploy(server.plugins.path(), "swap.so", swap_plugin("v2"));
  REQUIRE(server.reload().published);
  InProcessClient client(*server.context);
  client.initialize();

  const auto backup = deploy(server.plugins.path(), "aa_old_backup.so", swap_plugin("v1"));
  auto report = server.reload();
  CHECK_FALSE(report.published);
  REQUIRE(report.refused.size() == 1);
  CHECK(report.refused[0].file == backup);
  CHECK_THAT(report.refused[0].reason, Catch::Contains("namespace \"swap\" is also provided by " +
                                                       (server.plugins / "swap.so").string() + " (2.0.0)") &&
                                           Catch::Contains("the highest version wins"));
  // The duplicate is a warning naming both files, in the report and in the plugin list.
  REQUIRE(report.warnings.size() == 1);
  CHECK_THAT(report.warnings[0], Catch::Contains(backup.string() + " (1.0.0)") &&
                                     Catch::Contains((server.plugins / "swap.so").string() + " (2.0.0)"));
  const auto state = server.manager->plugin_state();
  REQUIRE(state.at("warnings").as_array().size() == 1);
  CHECK(client.call_text("swap.which") == "2.0.0");
  CHECK(server.manager->serving().size() == 1);

  // Once the serving file is gone the namespace is free, and the other file takes it over.
  std::filesystem::remove(server.plugins / "swap.so");
  report = server.reload();
  CHECK(report.published);
  CHECK(report.refused.empty());
  CHECK(report.warnings.empty());
  CHECK(client.call_text("swap.which") == "1.0.0");
  REQUIRE(server.manager->serving().size() == 1);
  CHECK(server.manager->serving()[0].file == backup);
}

TEST_CASE("a higher version in another file takes a served namespace over, as it would at start-up",
          "[failure][collision][duplicate]") {
  InProcessServer server;
  const auto original = deploy(server.plugins.path(), "swap.so", swap_plugin("v1"));
  REQUIRE(server.reload().published);
  InProcessClient client(*server.context);
  client.initialize();

  const auto newer = deploy(server.plugins.path(), "swap_v2.so", swap_plugin("v2"));
  auto report = server.reload();
  CHECK(report.published);
  CHECK(client.call_text("swap.which") == "2.0.0");
  REQUIRE(report.refused.size() == 1);
  CHECK(report.refused[0].file == original);
  CHECK(report.refused[0].kept.empty());  // it does not keep serving: it was retired
  CHECK(report.warnings.size() == 1);
  REQUIRE(server.manager->serving().size() == 1);
  CHECK(server.manager->serving()[0].file == newer);

  // The same files give the same answer on the next reload.
  report = server.reload(true);
  CHECK_FALSE(report.published);
  REQUIRE(report.refused.size() == 1);
  CHECK(report.refused[0].file == original);
  CHECK(client.call_text("swap.which") == "2.0.0");
}

TEST_CASE("at start-up a stray old copy does not win a namespace by sorting first", "[startup][duplicate]") {
  std::filesystem::path backup, current;
  InProcessServer server([&](mcpd::config::Config& c) {
    const auto dir = c.plugins.directories.at(0);
    backup = deploy(dir, "aa_old_backup.so", swap_plugin("v1"));
    current = deploy(dir, "swap.so", swap_plugin("v2"));
  });
  InProcessClient client(*server.context);
  client.initialize();
  CHECK(client.call_text("swap.which") == "2.0.0");
  REQUIRE(server.startup.refused.size() == 1);
  CHECK(server.startup.refused[0].file == backup);
  REQUIRE(server.startup.warnings.size() == 1);
  CHECK_THAT(server.startup.warnings[0], Catch::Contains(current.string() + " serves it"));
}

TEST_CASE("at start-up two different builds claiming one version are both refused", "[startup][duplicate]") {
  InProcessServer server([&](mcpd::config::Config& c) {
    const auto dir = c.plugins.directories.at(0);
    deploy(dir, "a.so", swap_plugin("v1"));
    // The same version string, different bytes: a copy with one byte of padding.
    deploy_bytes(dir, "b.so", read_bytes(swap_plugin("v1")) + std::string(1, '\0'));
  });
  CHECK(server.manager->serving().empty());
  REQUIRE(server.startup.refused.size() == 2);
  for (const auto& r : server.startup.refused) CHECK_THAT(r.reason, Catch::Contains("Remove all but one"));
}

TEST_CASE("a version's config section reaches every version it is swapped to", "[swap][config]") {
  InProcessServer server([](mcpd::config::Config& c) {
    c.plugin_config["swap"] = json::object{{"greeting", "hello from "}};
  });
  deploy(server.plugins.path(), "swap.so", swap_plugin("v1"));
  REQUIRE(server.reload().published);
  InProcessClient client(*server.context);
  client.initialize();
  CHECK(client.call_text("swap.which") == "hello from 1.0.0");
  deploy(server.plugins.path(), "swap.so", swap_plugin("v2"));
  REQUIRE(server.reload().published);
  CHECK(client.call_text("swap.which") == "hello from 2.0.0");
}

TEST_CASE("more retired versions than allowed are reported", "[retired]") {
  InProcessServer server([](mcpd::config::Config& c) {
    c.plugin_policy.max_retired_resident = 1;
    c.server.worker_threads = 8;
  });
  deploy(server.plugins.path(), "swap.so", swap_plugin("v1"));
  REQUIRE(server.reload().published);
  InProcessClient client(*server.context);
  client.initialize();
  // Two slow calls pin two old versions.
  std::vector<json::value> slow;
  for (const char* next : {"v2", "v1"}) {
    slow.push_back(client.send("tools/call", {{"name", "swap.slow"},
                                              {"arguments", {{"ms", 1000}}},
                                              {"_meta", {{"progressToken", std::string("t") + next}}}}));
    REQUIRE(client.wait_for("notifications/progress", slow.size(), std::chrono::seconds(10)));
    deploy(server.plugins.path(), "swap.so", swap_plugin(next));
    REQUIRE(server.reload().published);
  }
  auto state = server.manager->plugin_state();
  CHECK(state.at("retired_resident").as_uint64() == 2);
  CHECK(state.at("max_retired_resident").as_uint64() == 1);
  CHECK(state.at("over_limit").as_bool());
  CHECK_THAT(server.manager->plugin_metrics(), Catch::Contains("mcpd_plugin_retired_resident 2"));
  for (const auto& id : slow) CHECK(client.await(id, std::chrono::seconds(10)).contains("result"));
  REQUIRE(server.manager->wait_for_unloads(std::chrono::seconds(10)));
  state = server.manager->plugin_state();
  CHECK(state.at("retired_resident").as_uint64() == 0);
  CHECK_FALSE(state.at("over_limit").as_bool());
}
