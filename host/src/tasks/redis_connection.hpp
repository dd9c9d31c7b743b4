#pragma once
// Talking to one Redis server: a few pooled hiredis connections, each command
// bounded by a timeout, broken connections dropped and replaced on the next
// call (so a restarted Redis is picked up without restarting mcpd).
//
// Every failure throws StoreUnavailable with a message naming the store and
// what failed ("task store redis://127.0.0.1:6390/0: Redis at 127.0.0.1:6390
// refused the connection ..."). The password goes to AUTH and nowhere else;
// text that Redis sends back is scrubbed of it before it reaches a message.
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/redis_endpoint.hpp"

struct redisContext;

namespace mcpd::tasks {

// A reply, copied out of hiredis. Error replies never get here: they throw.
struct RedisValue {
  enum class Kind { nil, string, integer, array, status };
  Kind kind = Kind::nil;
  std::string text;  // string and status
  long long integer = 0;
  std::vector<RedisValue> elements;

  bool is_nil() const { return kind == Kind::nil; }
};

struct RedisTimeouts {
  std::chrono::milliseconds connect{2000};
  std::chrono::milliseconds command{2000};
};

class RedisConnectionPool {
 public:
  RedisConnectionPool(RedisEndpoint endpoint, RedisTimeouts timeouts, std::size_t max_idle = 4);
  ~RedisConnectionPool();
  RedisConnectionPool(const RedisConnectionPool&) = delete;
  RedisConnectionPool& operator=(const RedisConnectionPool&) = delete;

  // Runs one command (binary-safe arguments) and returns its reply.
  // A command that fails on a pooled connection Redis had closed meanwhile
  // (it restarted, or dropped idle clients) is sent once more on a new one.
  RedisValue command(const std::vector<std::string_view>& args);

  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  struct ContextDeleter {
    void operator()(redisContext* context) const;
  };
  using Context = std::unique_ptr<redisContext, ContextDeleter>;

  Context connect();    // AUTH and SELECT done; throws StoreUnavailable
  Context take_idle();  // nullptr when none is idle
  void give_back(Context context);

  // What command() throws: "task store <describe>: Redis at <address> <what>".
  [[noreturn]] void fail(std::string_view what) const;
  std::string scrubbed(std::string text) const;

  const RedisEndpoint endpoint_;
  const RedisTimeouts timeouts_;
  const std::size_t max_idle_;
  std::mutex mutex_;
  std::vector<Context> idle_;
};

}  // namespace mcpd::tasks
