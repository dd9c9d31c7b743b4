// tasks.store: which store a spec names, and messages that say what is wrong
// without ever repeating a password.
#include <catch2/catch.hpp>

#include "tasks/redis_endpoint.hpp"
#include "tasks/task_store.hpp"

using namespace mcpd::tasks;

namespace {

// The message make_task_store throws for `spec` ("" when it does not throw).
std::string refusal(std::string_view spec) {
  try {
    make_task_store(spec);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("task store spec: status names round trip", "[tasks]") {
  for (const auto status :
       {Status::working, Status::input_required, Status::completed, Status::failed, Status::cancelled}) {
    CHECK(parse_status(status_name(status)) == status);
  }
  CHECK(status_name(Status::input_required) == "input_required");
  CHECK_FALSE(parse_status("done"));
  CHECK_FALSE(parse_status("Working"));
  CHECK_FALSE(parse_status(""));
  CHECK(is_terminal(Status::cancelled));
  CHECK_FALSE(is_terminal(Status::input_required));
}

TEST_CASE("task store spec: memory and redis:// build their stores", "[tasks]") {
  CHECK(make_task_store("memory")->describe() == "memory");
  // Redis connects lazily: building the store needs no server.
  CHECK(make_task_store("redis://127.0.0.1")->describe() == "redis://127.0.0.1:6379/0");
  CHECK(make_task_store("redis://cache.internal:6390/3")->describe() == "redis://cache.internal:6390/3");
  CHECK(make_task_store("redis://:s3cret@10.0.0.5:7000/")->describe() == "redis://10.0.0.5:7000/0");
  CHECK(make_task_store("redis://[::1]:6380/1")->describe() == "redis://[::1]:6380/1");
}

TEST_CASE("task store spec: credentials are parsed and never described", "[tasks]") {
  const auto endpoint = parse_redis_endpoint("redis://:p%40ss/w@rd@redis.example:6391/2");
  CHECK(endpoint.host == "redis.example");
  CHECK(endpoint.port == 6391);
  CHECK(endpoint.db == 2);
  CHECK(endpoint.username.empty());
  CHECK(endpoint.password == "p@ss/w@rd");
  CHECK(endpoint.describe() == "redis://redis.example:6391/2");

  const auto with_user = parse_redis_endpoint("redis://mcpd:hunter2@h");
  CHECK(with_user.username == "mcpd");
  CHECK(with_user.password == "hunter2");
  CHECK_FALSE(parse_redis_endpoint("redis://:@h").password);
}

TEST_CASE("task store spec: bad specs are refused with a reason and no password", "[tasks]") {
  CHECK_THAT(refusal(""), Catch::Contains("is not a task store") && Catch::Contains("memory"));
  CHECK_THAT(refusal("Memory"), Catch::Contains("\"Memory\" is not a task store"));
  CHECK_THAT(refusal("postgres://u:topsecret@db/x"),
             Catch::Contains("value hidden") && !Catch::Contains("topsecret"));
  CHECK_THAT(refusal("rediss://:topsecret@h"), Catch::Contains("TLS") && !Catch::Contains("topsecret"));
  CHECK_THAT(refusal("redis://:topsecret@h:99999"),
             Catch::Contains("port must be a number from 1 to 65535") &&
                 Catch::Contains("redis://***@h:99999") && !Catch::Contains("topsecret"));
  CHECK_THAT(refusal("redis://:topsecret@h:"),
             Catch::Contains("port is empty") && !Catch::Contains("topsecret"));
  CHECK_THAT(refusal("redis://:topsecret@h/zero"),
             Catch::Contains("database") && !Catch::Contains("topsecret"));
  CHECK_THAT(refusal("redis://topsecret@h"),
             Catch::Contains(":password@ or user:password@") && !Catch::Contains("topsecret"));
  CHECK_THAT(refusal("redis://:top%zzsecret@h"), Catch::Contains("%-escape") && !Catch::Contains("top"));
  CHECK_THAT(refusal("redis://:topsecret@"),
             Catch::Contains("host is missing") && !Catch::Contains("topsecret"));
  CHECK_THAT(refusal("redis://::1:6379"), Catch::Contains("brackets"));
  CHECK_THAT(refusal("redis://[::1:6379"), Catch::Contains("closing ']'"));
  CHECK_THAT(refusal("redis://h:6379/0?timeout=1"), Catch::Contains("not supported"));
}
