// The [since, until) window of a listing tool, resolved to absolute UTC once: the first page fixes it and
// the cursor carries it, so later pages see the same window even though "-7d" moves with the clock.
#pragma once

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

}  // namespace mcpd::tracking
