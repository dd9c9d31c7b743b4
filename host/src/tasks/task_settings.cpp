#include "tasks/task_settings.hpp"

namespace mcpd::tasks {
namespace json = boost::json;

namespace {

constexpr std::string_view kKeys[] = {"store", "ttl_ms", "poll_interval_ms", "heartbeat_ms"};

std::chrono::milliseconds milliseconds(const json::object& section, std::string_view key, std::int64_t low,
                                       std::int64_t high, std::chrono::milliseconds fallback) {
  const auto* value = section.if_contains(key);
  if (value == nullptr) return fallback;
  if (!value->is_int64() && !value->is_uint64())
    throw config::ConfigError("tasks." + std::string(key) + " must be a whole number of milliseconds");
  const auto n = value->is_int64() ? value->get_int64() : static_cast<std::int64_t>(value->get_uint64());
  if (n < low || n > high)
    throw config::ConfigError("tasks." + std::string(key) + " must be between " + std::to_string(low) +
                              " and " + std::to_string(high) + " (got " + std::to_string(n) + ")");
  return std::chrono::milliseconds(n);
}

}  // namespace

TaskConfig parse_task_config(const config::Config& config, const config::Environment& env) {
  TaskConfig out;
  if (const auto* section = config.raw.if_contains("tasks")) {
    if (!section->is_object()) throw config::ConfigError("tasks must be an object");
    const auto& object = section->get_object();
    for (const auto& [key, value] : object)
      if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys))
        throw config::ConfigError(
            "tasks." + std::string(key) +
            " is not a setting (the tasks section has store, ttl_ms, poll_interval_ms and heartbeat_ms)");
    if (const auto* store = object.if_contains("store")) {
      if (!store->is_string())
        throw config::ConfigError("tasks.store must be \"memory\" or a redis:// URL (a string)");
      out.store = store->get_string();
    }
    // At least 10 s: a task must outlive the polls that read its result.
    out.settings.ttl = milliseconds(object, "ttl_ms", 10'000, 7 * 86'400'000LL, out.settings.ttl);
    out.settings.poll_interval =
        milliseconds(object, "poll_interval_ms", 100, 600'000, out.settings.poll_interval);
    // How long an instance that stopped beating (killed, cut off) is still taken for alive.
    out.settings.heartbeat_lifetime =
        milliseconds(object, "heartbeat_ms", 1'000, 600'000, out.settings.heartbeat_lifetime);
  }
  if (auto store = env("MCPD_TASKS_STORE"); store && !store->empty()) out.store = *store;
  return out;
}

}  // namespace mcpd::tasks
