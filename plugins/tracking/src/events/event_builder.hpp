// Events as PostHog's capture API takes them ({"event","distinct_id","properties","timestamp","uuid"}),
// built from tool arguments. Every event leaves here with a uuid (the caller's or a new UUIDv7) and a
// timestamp (the caller's, checked to be ISO-8601 with a zone, or now), so resending it is idempotent.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "../util/timestamps.hpp"

namespace mcpd::tracking {

// Thrown for arguments PostHog would drop or misread; the message names the argument and what to send.
class invalid_event : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// tracking.capture's arguments -> one event.
boost::json::object capture_event(std::string_view tool, const boost::json::object& arguments,
                                  utc_millis now);
// tracking.identify's -> one $identify event with $set / $set_once / $anon_distinct_id.
boost::json::object identify_event(std::string_view tool, const boost::json::object& arguments,
                                   utc_millis now);
// tracking.pageview's -> one $pageview event with $current_url (and $host, $pathname derived from it).
boost::json::object pageview_event(std::string_view tool, const boost::json::object& arguments,
                                   utc_millis now);
// tracking.capture_batch's "events" -> events in input order; a bad one throws naming events[i].
std::vector<boost::json::object> batch_events(std::string_view tool, const boost::json::object& arguments,
                                              utc_millis now);

}  // namespace mcpd::tracking
