// The two task stores, as types the shared behaviour suite
// (task_store_behaviours_test.cpp) is instantiated with. Each make() returns
// a fresh store object; tasks get fresh ids, so tests never see each other's.
#pragma once

#include <cstdio>
#include <memory>
#include <random>
#include <string>

#include "redis_server.hpp"
#include "tasks/memory_task_store.hpp"
#include "tasks/task_store.hpp"

namespace mcpd_test {

// One redis-server for every test of the process that does not stop it.
inline RedisServer& shared_redis() {
  static RedisServer server;
  return server;
}

struct MemoryBackend {
  static constexpr bool kShared = false;  // two objects are two stores
  std::unique_ptr<mcpd::tasks::TaskStore> make() { return mcpd::tasks::make_task_store("memory"); }
};

struct RedisBackend {
  static constexpr bool kShared = true;  // two objects on one Redis are two instances of a fleet
  std::unique_ptr<mcpd::tasks::TaskStore> make() {
    return mcpd::tasks::make_task_store(shared_redis().url());
  }
};

// A task id no other test uses: the shape mcpd gives them (hex and dashes).
inline std::string fresh_task_id() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_int_distribution<unsigned long long> bits;
  char text[40];
  const auto high = bits(random), low = bits(random);
  std::snprintf(text, sizeof(text), "%08llx-%04llx-%04llx-%04llx-%012llx", high >> 32, (high >> 16) & 0xffff,
                high & 0xffff, low >> 48, low & 0xffffffffffffULL);
  return text;
}

}  // namespace mcpd_test
