#include "time_window.hpp"

#include <chrono>

#include "../posthog/instance_registry.hpp"
#include "../util/cursor.hpp"
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

window_page requested_window_page(std::string_view tool, const boost::json::object& arguments,
                                  std::string_view fingerprint, std::string_view default_since) {
  const auto cursor = arguments::optional_string(tool, arguments, "cursor");
  if (!cursor) {
    const auto now =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    return {0, resolve_time_window(tool, arguments, default_since, now)};
  }
  boost::json::object state;
  try {
    state = decode_cursor(tool, fingerprint, *cursor);
  } catch (const std::invalid_argument& bad) {
    throw tool_input_error(bad.what());
  }
  const auto* offset = state.if_contains("o");
  const auto* since = state.if_contains("s");
  const auto* until = state.if_contains("u");
  if (offset == nullptr || !offset->is_int64() || offset->get_int64() < 0 || since == nullptr ||
      !since->is_string() || until == nullptr || !until->is_string()) {
    throw tool_input_error(std::string(tool) +
                           ": \"cursor\" is damaged; omit it to start from the first page");
  }
  return {offset->get_int64(), {std::string(since->get_string()), std::string(until->get_string())}};
}

std::string next_window_page_cursor(std::string_view tool, std::string_view fingerprint,
                                    std::int64_t next_offset, const time_window& window) {
  return encode_cursor(tool, fingerprint,
                       boost::json::object{{"o", next_offset}, {"s", window.since}, {"u", window.until}});
}

}  // namespace mcpd::tracking
