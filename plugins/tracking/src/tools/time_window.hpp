// The [since, until) window of a listing tool, resolved to absolute UTC once: the first page fixes it and
// the cursor carries it, so later pages see the same window even though "-7d" moves with the clock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "../util/timestamps.hpp"

namespace mcpd::tracking {

struct time_window {
  std::string since;  // ISO-8601 UTC
  std::string until;
};

// From the "since" / "until" arguments (defaults: `default_since`, now). Throws tool_input_error for a
// bound that is not a date, a date-time or an offset, and for since >= until.
time_window resolve_time_window(std::string_view tool, const boost::json::object& arguments,
                                std::string_view default_since, utc_millis now);

// Where a listing over a time window stands: how many rows earlier pages held, and the fixed window.
struct window_page {
  std::int64_t offset = 0;
  time_window window;
};

// The page the call asks for: the one its "cursor" argument names (made by next_window_page_cursor for
// the same tool and filter fingerprint), or else the first page of the window from "since" / "until"
// (default since: `default_since`, relative to the clock now). Throws tool_input_error for a cursor that
// is not one of ours, belongs to other filters, or is damaged.
window_page requested_window_page(std::string_view tool, const boost::json::object& arguments,
                                  std::string_view fingerprint, std::string_view default_since);

// The cursor of the page that starts at `next_offset` in the same window.
std::string next_window_page_cursor(std::string_view tool, std::string_view fingerprint,
                                    std::int64_t next_offset, const time_window& window);

}  // namespace mcpd::tracking
