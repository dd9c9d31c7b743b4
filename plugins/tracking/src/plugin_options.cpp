#include "plugin_options.hpp"

#include "util/integer_setting.hpp"

#include <cstdint>
#include <optional>

namespace mcpd::tracking {

plugin_options plugin_options::from_config(const boost::json::object& config,
                                           std::vector<std::string>& problems) {
  plugin_options options;
  using std::chrono::milliseconds;
  if (auto v = section_integer_setting(config, "retry", "max_attempts", 1, 10, problems))
    options.retry.max_attempts = static_cast<int>(*v);
  if (auto v = section_integer_setting(config, "retry", "initial_backoff_ms", 0, 60'000, problems))
    options.retry.initial_backoff = milliseconds(*v);
  if (auto v = section_integer_setting(config, "retry", "max_backoff_ms", 0, 300'000, problems))
    options.retry.max_backoff = milliseconds(*v);
  if (auto v = section_integer_setting(config, "capture", "max_request_bytes", 1024, 20'000'000, problems))
    options.max_request_bytes = static_cast<std::size_t>(*v);
  if (auto v = section_integer_setting(config, "capture", "max_event_bytes", 256, 20'000'000, problems))
    options.max_event_bytes = static_cast<std::size_t>(*v);
  if (auto v = section_integer_setting(config, "feature_flags", "definitions_refresh_ms", 1000, 3'600'000,
                                       problems))
    options.definitions_refresh = milliseconds(*v);
  if (auto v = section_integer_setting(config, "query", "timeout_ms", 1000, 600'000, problems))
    options.query.timeout = milliseconds(*v);
  if (auto v = section_integer_setting(config, "query", "max_rows", 1, 10'000, problems))
    options.query.max_rows = *v;
  return options;
}

}  // namespace mcpd::tracking
