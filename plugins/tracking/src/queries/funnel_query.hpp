// tracking.funnels_run's FunnelsQuery (Query API) and the reading of its answer: per-step counts summed over
// breakdown values, drop-off and conversion computed here (PostHog returns counts only).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace mcpd::tracking {

struct funnel_step_input {
  std::string event;
  std::string label;          // "" when not given
  boost::json::object match;  // property -> exact value
};

struct funnel_request {
  std::vector<funnel_step_input> steps;
  std::int64_t window_interval = 14;
  std::string window_unit = "day";
  std::string since = "-30d";  // as PostHog takes it: ISO-8601 or a relative offset
  std::optional<std::string> until;
  std::string order = "ordered";
  std::optional<std::string> breakdown_property;
  std::string breakdown_type = "event";
  bool filter_test_accounts = false;
};

// {"kind":"FunnelsQuery", "series":[EventsNode...], "dateRange", "funnelsFilter", ...}
boost::json::object funnels_query(const funnel_request& request);

// The tool's structuredContent from the Query API answer ({"results": steps} or, with a breakdown,
// {"results": [steps per value]}). Throws std::invalid_argument when the answer has another shape.
boost::json::object funnel_result(const funnel_request& request, const boost::json::object& answer);

}  // namespace mcpd::tracking
