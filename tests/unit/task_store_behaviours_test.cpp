// What every task store must do (tasks/task_store.hpp), run against both: the
// memory store and a Redis store on a redis-server this test starts.
#include <algorithm>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <latch>
#include <thread>

#include "store_backends.hpp"

using namespace mcpd::tasks;
using namespace std::chrono_literals;
namespace json = boost::json;
using mcpd_test::fresh_task_id;
using mcpd_test::MemoryBackend;
using mcpd_test::RedisBackend;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TaskRecord new_task(std::string instance = "instance-a", std::optional<std::int64_t> ttl_ms = 60'000) {
  TaskRecord record;
  record.id = fresh_task_id();
  record.owner = "owner-digest";
  record.instance = std::move(instance);
  record.tool = "tracking.recording_frames";
  record.created_at_ms = record.last_updated_at_ms = now_ms();
  record.ttl_ms = ttl_ms;
  record.poll_interval_ms = 5000;
  return record;
}

json::object obj(std::string_view text) {
  return json::parse(text).as_object();
}

StatusChange to(Status status) {
  StatusChange change;
  change.status = status;
  return change;
}

StatusChange asking(std::string_view requests) {
  StatusChange change;
  change.status = Status::input_required;
  change.input_requests = obj(requests);
  return change;
}

// Waits until the task is gone (expired); false if it is still there at the deadline.
bool disappears(TaskStore& store, const std::string& id, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!store.get(id)) return true;
    std::this_thread::sleep_for(20ms);
  }
  return !store.get(id);
}

}  // namespace

TEMPLATE_TEST_CASE("task store: a created task reads back with every field", "[tasks]", MemoryBackend,
                   RedisBackend) {
  TestType backend;
  auto store = backend.make();
  TaskRecord record = new_task();
  record.status = Status::input_required;
  record.status_message = "Rendering: 40% (ünïcode)";
  record.input_requests =
      obj(R"({"pick":{"method":"elicitation/create","params":{"message":"Which?","n":[]}}})");
  record.used_input_keys = {"earlier", "pick"};
  record.result = obj(R"({"content":[],"isError":true,"big":12345678901234567,"f":0.1})");
  record.error = obj(R"({"code":-32603,"message":"boom","data":{"nested":[1,2,{}]}})");
  record.cancel_requested = true;
  store->create(record);

  const auto read = store->get(record.id);
  REQUIRE(read);
  CHECK(read->id == record.id);
  CHECK(read->owner == record.owner);
  CHECK(read->instance == record.instance);
  CHECK(read->tool == record.tool);
  CHECK(read->status == Status::input_required);
  CHECK(read->status_message == record.status_message);
  CHECK(read->created_at_ms == record.created_at_ms);
  CHECK(read->last_updated_at_ms == record.last_updated_at_ms);
  CHECK(read->ttl_ms == record.ttl_ms);
  CHECK(read->poll_interval_ms == 5000);
  CHECK(read->input_requests == record.input_requests);
  CHECK(read->used_input_keys == record.used_input_keys);
  CHECK(read->result == record.result);  // [] stays an array, big integers stay exact
  CHECK(read->error == record.error);
  CHECK(read->cancel_requested);

  SECTION("an unlimited TTL is kept as none") {
    TaskRecord unlimited = new_task("instance-a", std::nullopt);
    store->create(unlimited);
    const auto back = store->get(unlimited.id);
    REQUIRE(back);
    CHECK_FALSE(back->ttl_ms);
    CHECK_FALSE(back->result);
    CHECK_FALSE(back->error);
  }
}

TEMPLATE_TEST_CASE("task store: unknown ids are unknown to every call", "[tasks]", MemoryBackend,
                   RedisBackend) {
  TestType backend;
  auto store = backend.make();
  store->create(new_task());
  // Client-supplied ids that could name another key ("<id>:answers") are unknown too.
  for (const std::string& id :
       {fresh_task_id(), std::string(), std::string("x:answers"), std::string(200, 'a')}) {
    CHECK_FALSE(store->get(id));
    CHECK_FALSE(store->change_status(id, to(Status::completed), now_ms()));
    CHECK_FALSE(store->cancel(id, "bye", now_ms()));
    CHECK_FALSE(store->add_input_responses(id, obj(R"({"k":1})")));
    CHECK(store->take_input_responses(id).empty());
  }
}

TEMPLATE_TEST_CASE("task store: a status change applies its fields and stamps the update", "[tasks]",
                   MemoryBackend, RedisBackend) {
  TestType backend;
  auto store = backend.make();
  const TaskRecord record = new_task();
  store->create(record);

  StatusChange change = to(Status::working);
  change.status_message = "Exporting";
  change.poll_interval_ms = 2000;
  const auto after = store->change_status(record.id, change, record.created_at_ms + 1500);
  REQUIRE(after);
  CHECK(after->status == Status::working);
  CHECK(after->status_message == "Exporting");
  CHECK(after->poll_interval_ms == 2000);
  CHECK(after->last_updated_at_ms == record.created_at_ms + 1500);
  CHECK(after->created_at_ms == record.created_at_ms);

  // Fields left empty are kept.
  const auto kept = store->change_status(record.id, to(Status::working), record.created_at_ms + 1600);
  REQUIRE(kept);
  CHECK(kept->status_message == "Exporting");
  CHECK(kept->poll_interval_ms == 2000);
  CHECK(store->get(record.id)->last_updated_at_ms == record.created_at_ms + 1600);

  StatusChange done = to(Status::completed);
  done.result = obj(R"({"content":[{"type":"text","text":"ok"}]})");
  const auto completed = store->change_status(record.id, done, record.created_at_ms + 2000);
  REQUIRE(completed);
  CHECK(completed->status == Status::completed);
  CHECK(completed->result == done.result);
  CHECK(*store->get(record.id) == *completed);
}

TEMPLATE_TEST_CASE("task store: a terminal task refuses every later status change", "[tasks]", MemoryBackend,
                   RedisBackend) {
  TestType backend;
  auto store = backend.make();
  const TaskRecord record = new_task();
  store->create(record);

  SECTION("a result after cancel does nothing") {
    const auto cancelled = store->cancel(record.id, "Cancelled by the client", now_ms());
    REQUIRE(cancelled);
    CHECK(cancelled->status == Status::cancelled);
    CHECK(cancelled->cancel_requested);
    CHECK(cancelled->status_message == "Cancelled by the client");

    StatusChange late = to(Status::completed);
    late.result = obj(R"({"content":[]})");
    const auto after = store->change_status(record.id, late, now_ms() + 10);
    REQUIRE(after);
    CHECK(after->status == Status::cancelled);
    CHECK_FALSE(after->result);
    CHECK(after->last_updated_at_ms == cancelled->last_updated_at_ms);
    CHECK(*store->get(record.id) == *cancelled);
  }
  SECTION("a cancel after completed leaves it completed") {
    StatusChange done = to(Status::completed);
    done.result = obj(R"({"content":[]})");
    const auto completed = store->change_status(record.id, done, now_ms());
    const auto after = store->cancel(record.id, "too late", now_ms() + 10);
    REQUIRE(after);
    CHECK(after->status == Status::completed);
    CHECK_FALSE(after->cancel_requested);
    CHECK(*store->get(record.id) == *completed);
  }
  SECTION("failed stays failed") {
    StatusChange failed = to(Status::failed);
    failed.error = obj(R"({"code":-32603,"message":"instance stopped"})");
    store->change_status(record.id, failed, now_ms());
    const auto after = store->change_status(record.id, to(Status::working), now_ms() + 10);
    REQUIRE(after);
    CHECK(after->status == Status::failed);
    CHECK(after->error == failed.error);
  }
}

TEMPLATE_TEST_CASE("task store: used input keys accumulate across requests", "[tasks]", MemoryBackend,
                   RedisBackend) {
  TestType backend;
  auto store = backend.make();
  const TaskRecord record = new_task();
  store->create(record);

  store->change_status(
      record.id, asking(R"({"a":{"method":"elicitation/create"},"b":{"method":"roots/list"}})"), now_ms());
  store->change_status(record.id, to(Status::working), now_ms());
  const auto after = store->change_status(
      record.id, asking(R"({"b":{"method":"roots/list"},"c":{"method":"sampling/createMessage"}})"),
      now_ms());
  REQUIRE(after);
  CHECK(after->used_input_keys == std::vector<std::string>{"a", "b", "c"});
  CHECK(after->input_requests ==
        obj(R"({"b":{"method":"roots/list"},"c":{"method":"sampling/createMessage"}})"));
  CHECK(store->get(record.id)->used_input_keys == after->used_input_keys);
}

TEMPLATE_TEST_CASE("task store: input responses are kept for outstanding keys and taken once", "[tasks]",
                   MemoryBackend, RedisBackend) {
  TestType backend;
  auto store = backend.make();
  const TaskRecord record = new_task();
  store->create(record);
  store->change_status(
      record.id, asking(R"({"a":{"method":"elicitation/create"},"b":{"method":"roots/list"}})"), now_ms());

  // "zzz" was never asked for: ignored, as the extension says.
  CHECK(store->add_input_responses(record.id, obj(R"({"a":{"action":"accept","n":[]},"zzz":{}})")));
  // A second answer to an answered key is ignored too: the first one wins.
  CHECK(store->add_input_responses(record.id, obj(R"({"a":{"action":"decline"}})")));

  const auto taken = store->take_input_responses(record.id);
  CHECK(taken == obj(R"({"a":{"action":"accept","n":[]}})"));
  // Taken answers are gone, and their keys are no longer outstanding.
  CHECK(store->take_input_responses(record.id).empty());
  const auto after = store->get(record.id);
  REQUIRE(after);
  CHECK(after->input_requests == obj(R"({"b":{"method":"roots/list"}})"));
  CHECK(after->used_input_keys == std::vector<std::string>{"a", "b"});

  // "a" is answered now: a late answer to it is ignored; "b" is still open.
  CHECK(store->add_input_responses(record.id, obj(R"({"a":{"late":true},"b":{"roots":[]}})")));
  CHECK(store->take_input_responses(record.id) == obj(R"({"b":{"roots":[]}})"));
  CHECK(store->get(record.id)->input_requests.empty());

  SECTION("a terminal task keeps no answers") {
    store->change_status(record.id, asking(R"({"c":{"method":"roots/list"}})"), now_ms());
    store->cancel(record.id, "bye", now_ms());
    CHECK(store->add_input_responses(record.id, obj(R"({"c":{}})")));
    CHECK(store->take_input_responses(record.id).empty());
  }
  SECTION("answers added before a cancel are dropped with it") {
    store->change_status(record.id, asking(R"({"c":{"method":"roots/list"}})"), now_ms());
    CHECK(store->add_input_responses(record.id, obj(R"({"c":{}})")));
    store->cancel(record.id, "bye", now_ms());
    CHECK(store->take_input_responses(record.id).empty());
  }
}

TEMPLATE_TEST_CASE("task store: take is atomic under concurrent tasks/update calls", "[tasks]", MemoryBackend,
                   RedisBackend) {
  TestType backend;
  auto store = backend.make();
  const TaskRecord record = new_task();
  store->create(record);
  json::object requests;
  constexpr int kKeys = 40;
  for (int i = 0; i < kKeys; ++i)
    requests["k" + std::to_string(i)] = obj(R"({"method":"elicitation/create"})");
  StatusChange ask = to(Status::input_required);
  ask.input_requests = requests;
  store->change_status(record.id, ask, now_ms());

  // One thread answers key by key while another takes: every answer is taken
  // exactly once, and none is lost between a read and a delete.
  json::object all_taken;
  std::latch start(2);
  std::thread answering([&] {
    start.arrive_and_wait();
    for (int i = 0; i < kKeys; ++i) {
      json::object one;
      one["k" + std::to_string(i)] = i;
      store->add_input_responses(record.id, one);
    }
  });
  start.arrive_and_wait();
  while (all_taken.size() < static_cast<std::size_t>(kKeys)) {
    for (auto& answer : store->take_input_responses(record.id)) {
      REQUIRE_FALSE(all_taken.contains(answer.key()));
      all_taken[answer.key()] = answer.value();
    }
    if (store->get(record.id)->input_requests.empty()) break;
  }
  answering.join();
  for (auto& answer : store->take_input_responses(record.id)) all_taken[answer.key()] = answer.value();
  CHECK(all_taken.size() == static_cast<std::size_t>(kKeys));
  for (int i = 0; i < kKeys; ++i) CHECK(all_taken.at("k" + std::to_string(i)) == i);
  CHECK(store->get(record.id)->input_requests.empty());
}

TEMPLATE_TEST_CASE("task store: records expire after their TTL", "[tasks]", MemoryBackend, RedisBackend) {
  TestType backend;
  auto store = backend.make();

  SECTION("counted from creation") {
    const TaskRecord record = new_task("instance-a", 300);
    store->create(record);
    CHECK(store->get(record.id));
    CHECK(disappears(*store, record.id, 2s));
    CHECK_FALSE(store->change_status(record.id, to(Status::completed), now_ms()));
    CHECK_FALSE(store->cancel(record.id, "bye", now_ms()));
    const auto unfinished = store->unfinished_of("instance-a");
    CHECK(std::find(unfinished.begin(), unfinished.end(), record.id) == unfinished.end());
  }
  SECTION("counted again from each update of a running task") {
    const TaskRecord record = new_task("instance-a", 400);
    store->create(record);
    for (int i = 0; i < 4; ++i) {  // 4 x 200 ms: twice the TTL, kept alive by the updates
      std::this_thread::sleep_for(200ms);
      REQUIRE(store->change_status(record.id, to(Status::working), now_ms()));
    }
    CHECK(store->get(record.id));
    CHECK(disappears(*store, record.id, 2s));
  }
}

TEMPLATE_TEST_CASE("task store: a result racing a cancel ends in exactly one terminal state", "[tasks]",
                   MemoryBackend, RedisBackend) {
  TestType backend;
  auto store = backend.make();
  int completed_wins = 0, cancel_wins = 0;
  for (int round = 0; round < 40; ++round) {
    const TaskRecord record = new_task();
    store->create(record);
    std::optional<TaskRecord> after_result, after_cancel;
    std::latch start(2);
    std::thread runner([&] {
      StatusChange done = to(Status::completed);
      done.result = obj(R"({"content":[{"type":"text","text":"done"}]})");
      start.arrive_and_wait();
      after_result = store->change_status(record.id, done, now_ms());
    });
    start.arrive_and_wait();
    after_cancel = store->cancel(record.id, "cancelled", now_ms());
    runner.join();

    const auto final_record = store->get(record.id);
    REQUIRE(final_record);
    REQUIRE(after_result);
    REQUIRE(after_cancel);
    // Both calls report the state that won, and it is the stored one.
    CHECK(*after_result == *final_record);
    CHECK(*after_cancel == *final_record);
    if (final_record->status == Status::completed) {
      ++completed_wins;
      CHECK(final_record->result);
      CHECK_FALSE(final_record->cancel_requested);
    } else {
      REQUIRE(final_record->status == Status::cancelled);
      ++cancel_wins;
      CHECK_FALSE(final_record->result);
      CHECK(final_record->cancel_requested);
    }
  }
  CHECK(completed_wins + cancel_wins == 40);
}

TEMPLATE_TEST_CASE("task store: unfinished_of lists an instance's running tasks", "[tasks]", MemoryBackend,
                   RedisBackend) {
  TestType backend;
  auto store = backend.make();
  // An instance name of this test alone, as the Redis store is shared by the whole run.
  const std::string instance = "node-" + fresh_task_id().substr(0, 8);
  const TaskRecord working = new_task(instance), asking_input = new_task(instance), done = new_task(instance),
                   cancelled = new_task(instance), elsewhere = new_task("other-" + instance);
  for (const auto* record : {&working, &asking_input, &done, &cancelled, &elsewhere}) store->create(*record);
  store->change_status(asking_input.id, asking(R"({"q":{"method":"roots/list"}})"), now_ms());
  store->change_status(done.id, to(Status::completed), now_ms());
  store->cancel(cancelled.id, "bye", now_ms());

  auto unfinished = store->unfinished_of(instance);
  std::sort(unfinished.begin(), unfinished.end());
  std::vector<std::string> expected{working.id, asking_input.id};
  std::sort(expected.begin(), expected.end());
  CHECK(unfinished == expected);
  CHECK(store->unfinished_of("nobody") == std::vector<std::string>{});
}

TEMPLATE_TEST_CASE("task store: create refuses ids and instance names unfit for keys", "[tasks]",
                   MemoryBackend, RedisBackend) {
  TestType backend;
  auto store = backend.make();
  TaskRecord bad_id = new_task();
  bad_id.id = "abc:answers";
  CHECK_THROWS_AS(store->create(bad_id), std::invalid_argument);
  TaskRecord bad_instance = new_task("a:tasks");
  CHECK_THROWS_AS(store->create(bad_instance), std::invalid_argument);
}
