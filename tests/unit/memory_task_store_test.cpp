// What only the memory store does: its bounded sweep, and liveness that is
// trivially true (it serves one instance, this process).
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "store_backends.hpp"

using namespace mcpd::tasks;
using namespace std::chrono_literals;

namespace {

TaskRecord task_with_ttl(std::int64_t ttl_ms) {
  TaskRecord record;
  record.id = mcpd_test::fresh_task_id();
  record.instance = "solo";
  record.ttl_ms = ttl_ms;
  return record;
}

}  // namespace

TEST_CASE("memory store: writes sweep expired records nobody reads again", "[tasks]") {
  MemoryTaskStore store;
  for (int i = 0; i < 100; ++i) store.create(task_with_ttl(200));
  REQUIRE(store.size() == 100);
  std::this_thread::sleep_for(250ms);
  CHECK(store.size() == 100);  // expired, but nothing met them yet

  // Each write looks at a few records after the last one it looked at, so
  // 20 writes (16 records each) pass over all 120 at least twice.
  for (int i = 0; i < 20; ++i) store.create(task_with_ttl(60'000));
  CHECK(store.size() == 20);
}

TEST_CASE("memory store: a read drops an expired record", "[tasks]") {
  MemoryTaskStore store;
  const TaskRecord record = task_with_ttl(1);
  store.create(record);
  std::this_thread::sleep_for(20ms);
  CHECK_FALSE(store.get(record.id));
  CHECK(store.size() == 0);
}

TEST_CASE("memory store: every instance it knows is this process, so alive", "[tasks]") {
  MemoryTaskStore store;
  CHECK(store.instance_alive("solo"));
  store.heartbeat("solo", 1);
  std::this_thread::sleep_for(10ms);
  CHECK(store.instance_alive("solo"));
  CHECK(store.describe() == "memory");
}
