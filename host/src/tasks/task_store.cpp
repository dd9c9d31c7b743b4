#include "tasks/task_store.hpp"

#include <array>
#include <utility>

#include "tasks/memory_task_store.hpp"
#include "tasks/redis_endpoint.hpp"
#include "tasks/redis_task_store.hpp"

namespace mcpd::tasks {
namespace {

// The wire names of the extension's states, in the order of the enum.
constexpr std::array<std::pair<Status, std::string_view>, 5> kStatusNames = {{
    {Status::working, "working"},
    {Status::input_required, "input_required"},
    {Status::completed, "completed"},
    {Status::failed, "failed"},
    {Status::cancelled, "cancelled"},
}};

}  // namespace

std::string_view status_name(Status status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "unknown";  // unreachable for a valid enum value
}

std::optional<Status> parse_status(std::string_view name) {
  for (const auto& [value, known] : kStatusNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::unique_ptr<TaskStore> make_task_store(std::string_view spec) {
  if (spec == "memory") return std::make_unique<MemoryTaskStore>();
  if (spec.starts_with("redis://") || spec.starts_with("rediss://")) {
    // parse_redis_endpoint's messages mask the password.
    return std::make_unique<RedisTaskStore>(parse_redis_endpoint(spec));
  }
  // Quote the spec only when it cannot hold credentials.
  const bool may_hold_secret = spec.find('@') != std::string_view::npos;
  throw std::invalid_argument(
      "tasks.store " +
      (may_hold_secret ? std::string("(value hidden: it contains '@')") : "\"" + std::string(spec) + "\"") +
      " is not a task store: use \"memory\" or \"redis://[:password@]host[:port][/db]\"");
}

}  // namespace mcpd::tasks
