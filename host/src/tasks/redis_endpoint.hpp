#pragma once
// Where a Redis task store lives, parsed from `tasks.store`
// ("redis://[[user]:password@]host[:port][/db]"). The password is kept for
// AUTH only: describe() and every message built from an endpoint leave it out.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpd::tasks {

struct RedisEndpoint {
  std::string host;  // a name or an address; IPv6 without its brackets
  std::uint16_t port = 6379;
  unsigned db = 0;
  std::string username;                 // "" for the default user (AUTH password)
  std::optional<std::string> password;  // percent-decoded; never printed

  // "127.0.0.1:6379" ("[::1]:6379" for IPv6): what messages name.
  std::string address() const;
  // "redis://127.0.0.1:6379/0": the store as logs and errors show it.
  std::string describe() const;
};

// Parses a "redis://..." spec. Throws std::invalid_argument with a message
// that says what is wrong and quotes the spec with its password masked.
RedisEndpoint parse_redis_endpoint(std::string_view spec);

}  // namespace mcpd::tasks
