// A redis-server of the test's own: on a free loopback port, in a fresh
// temporary directory, with persistence off (--save '' --appendonly no), so
// tests never touch a Redis the machine may run and leave nothing behind.
//
// Not installed: the constructor throws, naming scripts/install-deps.sh, so
// the Redis tests fail (they are part of the suite, not optional extras).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mcpd_test {

class RedisServer {
 public:
  // `extra_args` go to redis-server as they are (e.g. {"--requirepass", "x"}).
  explicit RedisServer(std::vector<std::string> extra_args = {});
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string url() const { return "redis://" + address(); }
  pid_t pid() const { return pid_; }

  // Ends the server (SIGTERM; SIGKILL if it lingers) and waits for it.
  void stop();
  // Starts it again on the same port (its data is gone: nothing persists).
  void start();
  // What the server logged, for failure messages.
  std::string log() const;

 private:
  bool try_start();  // false when redis-server exited at once (its port was taken)

  std::string executable_;
  std::vector<std::string> extra_args_;
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace mcpd_test
