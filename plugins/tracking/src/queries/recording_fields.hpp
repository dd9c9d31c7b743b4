// A session recording as PostHog's session_recordings API returns it, mapped to tracking.recordings_list's
// item: seconds become milliseconds, start_time/end_time become start/end.
#pragma once

#include <optional>

#include <boost/json.hpp>

namespace mcpd::tracking {

// nullopt when the entry has no id or no parsable start_time (nothing useful can be said about it).
std::optional<boost::json::object> recording_from_api(const boost::json::value& entry);

}  // namespace mcpd::tracking
