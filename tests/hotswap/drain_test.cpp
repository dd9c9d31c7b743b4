// Calls already running when a new version is published finish on the version
// they started on; that version is shut down and unloaded after its last call,
// not before. Removing a file takes its namespace away the same way.
#include <catch2/catch.hpp>

#include "hotswap/reaper.hpp"
#include "support/in_process_client.hpp"

using namespace hotswap_test;
using mcpd::hotswap::library_resident;

namespace {

// Starts swap.slow for `ms` and waits for its "started" progress, so the call
// is known to be inside version 1's handler.
json::value start_slow_call(InProcessClient& client, int ms) {
  auto id = client.send(
      "tools/call",
      {{"name", "swap.slow"}, {"arguments", {{"ms", ms}}}, {"_meta", {{"progressToken", "slow"}}}});
  REQUIRE(client.wait_for("notifications/progress", 1, std::chrono::seconds(10)));
  return id;
}

}  // namespace

TEST_CASE("a slow call started on version 1 completes on version 1 after version 2 is published", "[drain]") {
  InProcessServer server;
  deploy(server.plugins.path(), "swap.so", swap_plugin("v1"));
  REQUIRE(server.reload().published);
  InProcessClient client(*server.context);
  client.initialize();

  const auto v1_copy = server.manager->serving().at(0).loaded_from;
  const auto slow = start_slow_call(client, 1500);
  CHECK(std::string(
            client.notifications("notifications/progress").at(0).at("params").at("message").as_string()) ==
        "started on 1.0.0");

  deploy(server.plugins.path(), "swap.so", swap_plugin("v2"));
  auto report = server.reload();
  REQUIRE(report.published);
  REQUIRE(report.replaced.size() == 1);
  CHECK(report.replaced[0].find("swap 1.0.0 -> 2.0.0") != std::string::npos);

  // New calls go to version 2 at once, while version 1 is retired but still
  // resident, with the slow call in flight.
  CHECK(client.call_text("swap.which") == "2.0.0");
  auto retired = server.manager->retired();
  REQUIRE(retired.size() == 1);
  CHECK(retired[0].version == "1.0.0");
  CHECK(retired[0].calls_in_flight == 1);
  CHECK(library_resident(v1_copy));
  const auto state = server.manager->plugin_state();
  CHECK(state.at("retired").as_array().at(0).at("state").as_string() == "draining");

  auto response = client.await(slow, std::chrono::seconds(10));
  REQUIRE(response.contains("result"));
  CHECK(text_of(response.at("result").as_object()) == "1.0.0");

  // Its last call returned: shut down and unloaded.
  REQUIRE(server.manager->wait_for_unloads(std::chrono::seconds(10)));
  CHECK(server.manager->retired().empty());
  CHECK_FALSE(library_resident(v1_copy));
}

TEST_CASE("removing a plugin file removes its namespace - its running call drains first", "[drain][remove]") {
  InProcessServer server;
  deploy(server.plugins.path(), "swap.so", swap_plugin("v1"));
  REQUIRE(server.reload().published);
  InProcessClient client(*server.context);
  client.initialize();
  const auto copy = server.manager->serving().at(0).loaded_from;
  const auto slow = start_slow_call(client, 800);

  std::filesystem::remove(server.plugins / "swap.so");
  auto report = server.reload();
  REQUIRE(report.published);
  REQUIRE(report.removed.size() == 1);
  CHECK(report.removed[0].find("swap 1.0.0") != std::string::npos);
  CHECK(client.wait_for("notifications/tools/list_changed", 1, std::chrono::seconds(5)));
  CHECK(client.request("tools/list").at("tools").as_array().empty());
  // New calls no longer find it ...
  auto unknown =
      client.await(client.send("tools/call", {{"name", "swap.which"}, {"arguments", json::object{}}}));
  REQUIRE(unknown.contains("error"));
  CHECK(unknown.at("error").at("code").as_int64() == -32602);
  // ... while the call that was running finishes on it, and only then is it unloaded.
  CHECK(library_resident(copy));
  auto response = client.await(slow, std::chrono::seconds(10));
  REQUIRE(response.contains("result"));
  CHECK(text_of(response.at("result").as_object()) == "1.0.0");
  REQUIRE(server.manager->wait_for_unloads(std::chrono::seconds(10)));
  CHECK_FALSE(library_resident(copy));
  CHECK(server.manager->serving().empty());
}
