// What only the Redis store does: a fleet's instances share tasks, Redis
// going away is a clear StoreUnavailable and coming back needs no restart,
// heartbeats expire, and the key layout other tools may read.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "store_backends.hpp"
#include "tasks/redis_connection.hpp"
#include "tasks/redis_task_store.hpp"

using namespace mcpd::tasks;
using namespace std::chrono_literals;
namespace json = boost::json;
using mcpd_test::fresh_task_id;
using mcpd_test::RedisServer;
using mcpd_test::shared_redis;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TaskRecord new_task(std::string instance = "instance-a") {
  TaskRecord record;
  record.id = fresh_task_id();
  record.owner = "owner";
  record.instance = std::move(instance);
  record.tool = "gemini.ask_about_video";
  record.created_at_ms = record.last_updated_at_ms = now_ms();
  record.ttl_ms = 60'000;
  return record;
}

// The message of the StoreUnavailable `call` throws ("" when it does not).
template <typename Call>
std::string unavailable(Call call) {
  try {
    call();
  } catch (const StoreUnavailable& error) {
    return error.what();
  }
  return "";
}

RedisValue raw(RedisServer& server, std::vector<std::string_view> args) {
  RedisConnectionPool pool(parse_redis_endpoint(server.url()), RedisTimeouts{});
  return pool.command(args);
}

}  // namespace

TEST_CASE("redis store: two instances on one Redis share their tasks", "[tasks][redis]") {
  auto a = make_task_store(shared_redis().url());
  auto b = make_task_store(shared_redis().url());
  const TaskRecord record = new_task("instance-a");
  a->create(record);

  // tasks/get on the other instance finds it at once.
  REQUIRE(b->get(record.id));
  CHECK(*b->get(record.id) == record);

  // Input asked on A, answered through B, taken on A.
  StatusChange ask;
  ask.status = Status::input_required;
  ask.input_requests = json::parse(R"({"which":{"method":"elicitation/create"}})").as_object();
  a->change_status(record.id, ask, now_ms());
  CHECK(b->get(record.id)->status == Status::input_required);
  CHECK(b->add_input_responses(record.id, json::parse(R"({"which":{"action":"accept"}})").as_object()));
  CHECK(a->take_input_responses(record.id) == json::parse(R"({"which":{"action":"accept"}})").as_object());

  // tasks/cancel on B wins over A's late result.
  CHECK(b->cancel(record.id, "Cancelled", now_ms())->status == Status::cancelled);
  StatusChange done;
  done.status = Status::completed;
  done.result = json::object{{"content", json::array{}}};
  const auto after = a->change_status(record.id, done, now_ms());
  REQUIRE(after);
  CHECK(after->status == Status::cancelled);
  CHECK(a->get(record.id)->cancel_requested);
}

TEST_CASE("redis store: the keys it writes and when they go", "[tasks][redis]") {
  auto store = make_task_store(shared_redis().url());
  const TaskRecord record = new_task("layout-node");
  store->create(record);
  const std::string key = "mcpd:task:" + record.id;

  const auto text = raw(shared_redis(), {"GET", key});
  REQUIRE(text.kind == RedisValue::Kind::string);
  CHECK(json::parse(text.text).at("status") == "working");
  const auto ttl = raw(shared_redis(), {"PTTL", key}).integer;
  CHECK(ttl > 50'000);
  CHECK(ttl <= 60'000);
  CHECK(raw(shared_redis(), {"SISMEMBER", "mcpd:instance:layout-node:tasks", record.id}).integer == 1);

  StatusChange ask;
  ask.status = Status::input_required;
  ask.input_requests = json::parse(R"({"k":{}})").as_object();
  store->change_status(record.id, ask, now_ms());
  store->add_input_responses(record.id, json::parse(R"({"k":{"x":1}})").as_object());
  CHECK(raw(shared_redis(), {"HGET", key + ":answers", "k"}).text == R"({"x":1})");
  CHECK(raw(shared_redis(), {"PTTL", key + ":answers"}).integer > 50'000);

  // A terminal status takes the task out of its instance's set and drops answers nobody will take.
  store->cancel(record.id, "bye", now_ms());
  CHECK(raw(shared_redis(), {"SISMEMBER", "mcpd:instance:layout-node:tasks", record.id}).integer == 0);
  CHECK(raw(shared_redis(), {"EXISTS", key + ":answers"}).integer == 0);
}

TEST_CASE("redis store: a record that is not mcpd's is a clear error", "[tasks][redis]") {
  auto store = make_task_store(shared_redis().url());
  const std::string id = fresh_task_id();
  raw(shared_redis(), {"SET", "mcpd:task:" + id, "not json", "PX", "60000"});
  const auto message = unavailable([&] { store->get(id); });
  CHECK_THAT(message, Catch::Contains("mcpd:task:" + id) && Catch::Contains("malformed task record"));
}

TEST_CASE("redis store: heartbeats expire and unknown instances are not alive", "[tasks][redis]") {
  auto store = make_task_store(shared_redis().url());
  auto other = make_task_store(shared_redis().url());
  const std::string instance = "beat-" + fresh_task_id().substr(0, 8);
  CHECK_FALSE(other->instance_alive(instance));
  store->heartbeat(instance, 300);
  CHECK(other->instance_alive(instance));
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (other->instance_alive(instance) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  CHECK_FALSE(other->instance_alive(instance));
  CHECK_FALSE(other->instance_alive("bad:name"));
  CHECK_THROWS_AS(store->heartbeat("bad:name", 1000), std::invalid_argument);
}

TEST_CASE("redis store: Redis going away is StoreUnavailable, and coming back needs no restart",
          "[tasks][redis]") {
  RedisServer server;
  auto store = make_task_store(server.url());
  const TaskRecord before = new_task();
  store->create(before);
  REQUIRE(store->get(before.id));

  server.stop();
  const auto message = unavailable([&] { store->get(before.id); });
  CHECK_THAT(message, Catch::Contains("task store " + server.url() + "/0") &&
                          Catch::Contains("Redis at " + server.address() + " refused the connection"));
  CHECK_FALSE(unavailable([&] { store->create(new_task()); }).empty());
  CHECK_FALSE(unavailable([&] { store->heartbeat("instance-a", 1000); }).empty());

  server.start();
  // The data went with the server (no persistence in tests); the store works again.
  CHECK_FALSE(store->get(before.id));
  const TaskRecord after = new_task();
  store->create(after);
  CHECK(store->get(after.id));
}

TEST_CASE("redis store: a Redis that stops answering times out", "[tasks][redis]") {
  RedisServer server;
  RedisTaskStore store(parse_redis_endpoint(server.url()), RedisTimeouts{500ms, 300ms});
  const TaskRecord record = new_task();
  store.create(record);

  ::kill(server.pid(), SIGSTOP);
  const auto started = std::chrono::steady_clock::now();
  const auto message = unavailable([&] { store.get(record.id); });
  ::kill(server.pid(), SIGCONT);
  CHECK(std::chrono::steady_clock::now() - started < 3s);
  CHECK_THAT(message, Catch::Contains("Redis at " + server.address() + " did not answer GET within 300 ms"));
  // The connection that timed out is dropped (its late reply must not answer the next command).
  CHECK(store.get(record.id) == record);
}

TEST_CASE("redis store: a password is used and never shown", "[tasks][redis]") {
  RedisServer server({"--requirepass", "correct-horse"});
  const std::string port = std::to_string(server.port());

  auto good = make_task_store("redis://:correct-horse@127.0.0.1:" + port + "/1");
  CHECK(good->describe() == "redis://127.0.0.1:" + port + "/1");
  const TaskRecord record = new_task();
  good->create(record);
  CHECK(good->get(record.id));

  auto wrong = make_task_store("redis://:battery-staple@127.0.0.1:" + port);
  const auto refused = unavailable([&] { wrong->get(record.id); });
  CHECK_THAT(refused, Catch::Contains("refused the password") && !Catch::Contains("battery-staple"));

  auto none = make_task_store("redis://127.0.0.1:" + port);
  CHECK_THAT(unavailable([&] { none->get(record.id); }), Catch::Contains("NOAUTH"));

  server.stop();
  CHECK_THAT(unavailable([&] { good->get(record.id); }),
             Catch::Contains("refused the connection") && !Catch::Contains("correct-horse"));
}
