// The TypeScript prototype's argument shapes, still accepted (agents, prompts and scripts were written
// against them): each is rewritten into today's shape before the handler reads the call, so both shapes
// mean exactly the same thing and no handler knows the old one.
//   capture, pageview   timestamp_iso                      -> timestamp
//   identify            traits                             -> set
//   sessions_list,      filter {distinct_id, since, until, -> the same fields at the top level
//   recordings_list             limit, cursor}
//   funnels_run         definition {steps, window {minutes|hours|days}} -> steps, window {interval, unit}
//   feature_flag_eval   context {person_properties, groups, group_properties}, or person properties alone
//                                                          -> the same fields at the top level
// A call that gives one setting in both shapes is refused (which one did it mean?).
#pragma once

#include <string_view>

#include <boost/json.hpp>

namespace mcpd::tracking::prototype_arguments {

// `arguments` in today's shape. Throws tool_input_error naming both spellings when they collide.
boost::json::object translated(std::string_view tool, const boost::json::object& arguments);

}  // namespace mcpd::tracking::prototype_arguments
