#include "time_window.hpp"

#include "../posthog/instance_registry.hpp"
#include "arguments.hpp"

namespace mcpd::tracking {

time_window resolve_time_window(std::string_view tool, const boost::json::object& arguments,
                                std::string_view default_since, utc_millis now) {
  auto bound = [&](std::string_view key, std::string_view fallback) {
    const auto given = arguments::optional_string(tool, arguments, key);
    const std::string text = given ? *given : std::string(fallback);
    const auto when = text.empty() ? std::optional<utc_millis>(now) : parse_time_bound(text, now);
    if (!when) {
      throw tool_input_error(std::string(tool) + ": \"" + std::string(key) + "\" is \"" + text.substr(0, 64) +
                             "\"; use an ISO-8601 date or date-time (2025-01-31, 2025-01-31T08:00:00Z) or an "
                             "offset from now (-24h, -7d, -2w, -3m, -1y)");
    }
    return *when;
  };
  const utc_millis since = bound("since", default_since);
  const utc_millis until = bound("until", "");
  if (since >= until) {
    throw tool_input_error(std::string(tool) + ": \"since\" (" + format_iso8601(since) +
                           ") must be before \"until\" (" + format_iso8601(until) + ")");
  }
  return {format_iso8601(since), format_iso8601(until)};
}

}  // namespace mcpd::tracking
