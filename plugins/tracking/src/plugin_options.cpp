#include "plugin_options.hpp"

#include <cstdint>
#include <optional>

namespace mcpd::tracking {
namespace {

// Reads plugin_config.tracking.<section>.<key> as an integer in [lowest, highest].
std::optional<std::int64_t> read_integer(const boost::json::object& config, std::string_view section,
                                         std::string_view key, std::int64_t lowest, std::int64_t highest,
                                         std::vector<std::string>& problems) {
  const auto* group = config.if_contains(section);
  if (group == nullptr || !group->is_object()) return std::nullopt;
  const auto* value = group->get_object().if_contains(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (value->is_int64() && value->get_int64() >= lowest && value->get_int64() <= highest)
    return value->get_int64();
  if (value->is_uint64() && value->get_uint64() <= static_cast<std::uint64_t>(highest) &&
      static_cast<std::int64_t>(value->get_uint64()) >= lowest) {
    return static_cast<std::int64_t>(value->get_uint64());
  }
  problems.push_back("plugin_config.tracking." + std::string(section) + "." + std::string(key) +
                     " must be an integer between " + std::to_string(lowest) + " and " +
                     std::to_string(highest) + "; using the default");
  return std::nullopt;
}

}  // namespace

plugin_options plugin_options::from_config(const boost::json::object& config,
                                           std::vector<std::string>& problems) {
  plugin_options options;
  using std::chrono::milliseconds;
  if (auto v = read_integer(config, "retry", "max_attempts", 1, 10, problems))
    options.retry.max_attempts = static_cast<int>(*v);
  if (auto v = read_integer(config, "retry", "initial_backoff_ms", 0, 60'000, problems))
    options.retry.initial_backoff = milliseconds(*v);
  if (auto v = read_integer(config, "retry", "max_backoff_ms", 0, 300'000, problems))
    options.retry.max_backoff = milliseconds(*v);
  if (auto v = read_integer(config, "capture", "max_request_bytes", 1024, 20'000'000, problems))
    options.max_request_bytes = static_cast<std::size_t>(*v);
  if (auto v = read_integer(config, "capture", "max_event_bytes", 256, 20'000'000, problems))
    options.max_event_bytes = static_cast<std::size_t>(*v);
  if (auto v = read_integer(config, "feature_flags", "definitions_refresh_ms", 1000, 3'600'000, problems))
    options.definitions_refresh = milliseconds(*v);
  return options;
}

}  // namespace mcpd::tracking
