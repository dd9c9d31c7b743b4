// What tracking.recordings_list can search recordings by besides person and time, as PostHog's
// RecordingsQuery says it (the session_recordings listing's query parameters, JSON-encoded):
//   events           every named event happened in the recording     events [{id, type: "events", order}]
//   visited_url      a $pageview whose $current_url contains the text events [... properties icontains]
//   rage_clicks      a $rageclick event                               events
//   dead_clicks      a $dead_click event                              events
//   person_properties  exact person property values                  properties [{type: "person"}]
//   console_errors   a console message at level error                 console_log_filters [{type:
//   "log_entry"}] min_active_seconds  active time of at least that many seconds     having_predicates [{type:
//   "recording"}]
// All of them must hold (operand AND).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

namespace mcpd::tracking {

struct recording_search {
  std::vector<std::string> events;
  std::optional<std::string> visited_url;
  bool rage_clicks = false;
  bool dead_clicks = false;
  boost::json::object person_properties;
  bool console_errors = false;
  std::optional<std::int64_t> min_active_seconds;

  // Reads the arguments (already checked against the input schema). Throws tool_input_error for what the
  // schema cannot say.
  static recording_search from_arguments(std::string_view tool, const boost::json::object& arguments);

  bool empty() const;
  // The RecordingsQuery parameters, name to JSON text; empty lists are left out.
  std::vector<std::pair<std::string, std::string>> query_parameters() const;
  // A stable text of the search, so a cursor made for one search is refused by another.
  std::string fingerprint() const;
};

// The argument names recording_search reads (a call for one recording_id takes none of them).
inline constexpr std::string_view recording_search_arguments[] = {
    "events",         "visited_url",       "rage_clicks", "dead_clicks", "person_properties",
    "console_errors", "min_active_seconds"};

}  // namespace mcpd::tracking
