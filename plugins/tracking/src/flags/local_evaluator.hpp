// Local feature flag evaluation: PostHog's algorithm (release conditions in order, property operators,
// cohorts, rollout by hash, variant buckets, payloads) run on fetched definitions, without a request.
// A flag whose answer depends on something only PostHog knows comes back undecided ("inconclusive") with
// the reason, and the caller asks /flags for it.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include <boost/json.hpp>

#include "flag_definitions.hpp"

namespace mcpd::tracking {

struct flag_evaluation_input {
  std::string distinct_id;
  boost::json::object person_properties;
  boost::json::object groups;            // group type -> group key
  boost::json::object group_properties;  // group type -> that group's properties
};

struct local_flag_result {
  bool decided = false;  // false: inconclusive, see inconclusive_why
  bool enabled = false;
  std::optional<std::string> variant;
  // condition_match, out_of_rollout_bound, no_condition_match, flag_disabled, no_group_type, inconclusive,
  // evaluation_error (see error; the flag is reported off)
  std::string reason;
  std::optional<std::size_t> condition_index;  // index in the flag's own condition list
  std::optional<boost::json::value> payload;
  std::string inconclusive_why;
  std::string error;  // for evaluation_error: which condition could not be evaluated and why
};

local_flag_result evaluate_flag_locally(
    const boost::json::object& flag, const flag_definitions& definitions, const flag_evaluation_input& input,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// The variant whose cumulative rollout share contains hash(key, bucketing_id, "variant"), or nullopt when
// the shares leave the hash uncovered. `variants` is filters.multivariate.variants.
std::optional<std::string> matching_variant(std::string_view flag_key, std::string_view bucketing_id,
                                            const boost::json::array& variants);

}  // namespace mcpd::tracking
