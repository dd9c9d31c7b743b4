// What tracking.feature_flags_list says about one flag of GET /feature_flags/: its type, variants, the
// rollout of a simple flag and a one-line summary of its release conditions.
#pragma once

#include <boost/json.hpp>

namespace mcpd::tracking {

// One feature_flags_list item from a PostHog flag object; nullopt-like empty object when it has no key.
boost::json::object flag_summary(const boost::json::object& flag);

// "50% of users where plan = pro; 100% of users in cohort 12" from filters.groups.
std::string rollout_summary(const boost::json::object& filters);

}  // namespace mcpd::tracking
