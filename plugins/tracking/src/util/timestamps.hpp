// Points in time as the tracking tools accept and report them: ISO-8601 text, and offsets from now such as
// "-7d" for date-range bounds.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mcpd::tracking {

using utc_millis = std::chrono::sys_time<std::chrono::milliseconds>;

// An ISO-8601 / RFC 3339 date-time with a time zone: 2025-01-31T08:15:00Z, 2025-01-31T08:15:00.123+02:00,
// 2025-01-31 08:15:00+0200. Seconds may be omitted. nullopt for anything else, including impossible dates
// (2025-02-30) and a time without a zone, which would be ambiguous for an event.
std::optional<utc_millis> parse_iso8601_with_zone(std::string_view text);

// A date-range bound: a date (2025-01-31, midnight UTC), a date-time with or without zone (without: UTC), or
// an offset back from `now`: -24h, -7d, -2w, -3m (calendar months), -1y. nullopt when it is none of these.
std::optional<utc_millis> parse_time_bound(std::string_view text, utc_millis now);

// "2025-01-31T08:15:00.123Z": UTC with milliseconds.
std::string format_iso8601(utc_millis when);

// What a timestamp must look like, for error messages.
inline constexpr std::string_view iso8601_example =
    "an ISO-8601 date-time with a time zone, e.g. 2025-01-31T08:15:00Z";

}  // namespace mcpd::tracking
