// The central promise of hot swap: two versions of a plugin traded 100 times
// while four clients call it without pause, and not one call fails or gets an
// answer from a version that was not serving when it ran.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <thread>

#include "hotswap/reaper.hpp"
#include "support/in_process_client.hpp"

using namespace hotswap_test;
using mcpd::hotswap::library_resident;

namespace {

struct Observation {
  std::uint64_t generation_before = 0;  // read before the request was sent
  std::uint64_t generation_after = 0;   // read after its response arrived
  std::string answer;
};

}  // namespace

TEST_CASE("100 swaps under 4 calling clients: no failed call, every answer from the version serving",
          "[swap][load]") {
  const std::string v1 = read_bytes(swap_plugin("v1"));
  const std::string v2 = read_bytes(swap_plugin("v2"));
  InProcessServer server;  // starts with an empty directory
  deploy_bytes(server.plugins.path(), "swap.so", v1);
  REQUIRE(server.reload().published);

  // Which version each published generation serves; filled as swaps publish.
  std::map<std::uint64_t, std::string> version_of;
  version_of[server.manager->generation()] = "1.0.0";

  constexpr int kClients = 4;
  constexpr int kSwaps = 100;
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::vector<Observation>> seen(kClients);
  std::vector<std::string> failure_text(kClients);
  std::vector<std::unique_ptr<InProcessClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<InProcessClient>(*server.context));
    clients.back()->initialize();
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      while (!stop.load()) {
        Observation o;
        o.generation_before = server.manager->generation();
        try {
          o.answer = clients[i]->call_text("swap.which");
        } catch (const std::exception& e) {
          ++failures;
          failure_text[i] = e.what();
          continue;
        }
        o.generation_after = server.manager->generation();
        seen[i].push_back(std::move(o));
      }
    });
  }

  InProcessClient checker(*server.context);
  checker.initialize();
  std::vector<std::filesystem::path> replaced_copies;
  int late_answers = 0;
  for (int swap = 1; swap <= kSwaps; ++swap) {
    const bool to_v2 = swap % 2 == 1;
    const auto old_copy = server.manager->serving().at(0).loaded_from;
    deploy_bytes(server.plugins.path(), "swap.so", to_v2 ? v2 : v1);
    auto report = server.reload();
    REQUIRE(report.published);
    REQUIRE(report.refused.empty());
    version_of[report.generation] = to_v2 ? "2.0.0" : "1.0.0";
    // A call made after the publication runs on the new version at once.
    if (checker.call_text("swap.which") != (to_v2 ? "2.0.0" : "1.0.0")) ++late_answers;
    replaced_copies.push_back(old_copy);
  }
  // Let the clients call a little longer on the last version, then stop them.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  stop = true;
  for (auto& t : threads) t.join();

  INFO("first failure: " << [&] {
    for (const auto& f : failure_text)
      if (!f.empty()) return f;
    return std::string("none");
  }());
  CHECK(failures.load() == 0);
  CHECK(late_answers == 0);

  std::size_t calls = 0, mismatched = 0;
  std::map<std::string, std::size_t> by_version;
  for (const auto& per_client : seen) {
    for (const auto& o : per_client) {
      ++calls;
      ++by_version[o.answer];
      // The call ran on a snapshot published between the two reads, so its
      // answer is the version of one of those generations, and nothing else.
      bool explained = false;
      for (auto g = o.generation_before; g <= o.generation_after; ++g)
        if (auto it = version_of.find(g); it != version_of.end() && it->second == o.answer) explained = true;
      if (!explained) ++mismatched;
    }
  }
  INFO("calls: " << calls << ", answers by version: 1.0.0=" << by_version["1.0.0"]
                 << " 2.0.0=" << by_version["2.0.0"]);
  CHECK(mismatched == 0);
  CHECK(by_version.size() == 2);  // nothing but the two versions ever answered
  CHECK(calls >= 400);            // the clients really were calling throughout

  // Every replaced version drained and left the process: on_shutdown ran and
  // the dynamic loader no longer knows its copy.
  REQUIRE(server.manager->wait_for_unloads(std::chrono::seconds(20)));
  CHECK(server.manager->retired().empty());
  std::size_t still_mapped = 0;
  for (const auto& copy : replaced_copies)
    if (library_resident(copy)) ++still_mapped;
  CHECK(still_mapped == 0);
  CHECK(library_resident(server.manager->serving().at(0).loaded_from));
  const auto state = server.manager->plugin_state();
  CHECK(state.at("unloaded_total").as_uint64() >= static_cast<std::uint64_t>(kSwaps));
  CHECK(state.at("unload_failures_total").as_uint64() == 0);

  // Staged copies of unloaded versions are deleted: only the serving one is left.
  std::size_t staged_files = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator(server.manager->serving().at(0).loaded_from.parent_path()))
    ++staged_files;
  CHECK(staged_files == 1);
  clients.clear();
}

TEST_CASE("a swap that changes lists sends list_changed once per list to every initialized session",
          "[swap][notifications]") {
  InProcessServer server;
  deploy(server.plugins.path(), "swap.so", swap_plugin("v1"));
  REQUIRE(server.reload().published);
  InProcessClient a(*server.context), b(*server.context), uninitialized(*server.context);
  a.initialize();
  b.initialize();

  deploy(server.plugins.path(), "swap.so", swap_plugin("v2"));  // new descriptions and a prompt
  auto report = server.reload();
  REQUIRE(report.published);
  CHECK(report.notified.tools);
  CHECK(report.notified.prompts);
  CHECK_FALSE(report.notified.resources);
  for (auto* client : {&a, &b}) {
    REQUIRE(client->wait_for("notifications/tools/list_changed", 1, std::chrono::seconds(5)));
    REQUIRE(client->wait_for("notifications/prompts/list_changed", 1, std::chrono::seconds(5)));
    CHECK(client->count("notifications/tools/list_changed") == 1);
    CHECK(client->count("notifications/prompts/list_changed") == 1);
    CHECK(client->count("notifications/resources/list_changed") == 0);
  }
  // A session that never initialized is not told anything.
  CHECK(uninitialized.count("notifications/tools/list_changed") == 0);

  // Same bytes again (a new inode, a touch, a full rescan): nothing changed, nothing is sent.
  deploy(server.plugins.path(), "swap.so", swap_plugin("v2"));
  CHECK_FALSE(server.reload().published);
  CHECK_FALSE(server.reload(true).published);
  std::filesystem::last_write_time(server.plugins / "swap.so", std::filesystem::file_time_type::clock::now());
  CHECK_FALSE(server.reload().published);
  CHECK(a.count("notifications/tools/list_changed") == 1);
  CHECK(b.count("notifications/prompts/list_changed") == 1);
}
