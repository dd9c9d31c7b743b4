// One release-condition property of a feature flag against the properties the caller supplied, with
// PostHog's operators. Local evaluation can only decide what the supplied properties decide: anything that
// depends on what PostHog stores (a property not supplied, is_not_set, an unknown operator, an unparsable
// date on the flag) is "inconclusive" and goes to remote evaluation. A filter that cannot be evaluated at
// all (a regex pattern RE2 refuses) is an "error": the flag's answer is that error, not a guess.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "regex_patterns.hpp"

namespace mcpd::tracking {

enum class match_outcome { match, no_match, inconclusive, error };

struct property_match {
  match_outcome outcome = match_outcome::no_match;
  std::string why;  // for inconclusive: what local evaluation could not know; for error: what went wrong

  static property_match of(bool matched) {
    return {matched ? match_outcome::match : match_outcome::no_match, {}};
  }
  static property_match inconclusive(std::string why) {
    return {match_outcome::inconclusive, std::move(why)};
  }
  static property_match error(std::string why) { return {match_outcome::error, std::move(why)}; }
};

// `filter` is {"key", "value", "operator" (default "exact"), "type"}; `properties` the person's (or group's)
// properties. Operators: exact, is_not, is_set, is_not_set, icontains, not_icontains, regex, not_regex, gt,
// gte, lt, lte, is_date_before, is_date_after, is_date_exact, starts_with, ends_with, semver_eq, semver_neq,
// semver_gt, semver_gte, semver_lt, semver_lte, semver_tilde, semver_caret, semver_wildcard.
// `now` anchors relative dates such as "-7d" on the flag. `patterns` holds the regex patterns compiled when
// the definitions were read; a pattern not found there is compiled for this call.
property_match match_property(const boost::json::object& filter, const boost::json::object& properties,
                              std::chrono::system_clock::time_point now = std::chrono::system_clock::now(),
                              const regex_patterns* patterns = nullptr);

// How PostHog's SDKs turn a property value into text for comparisons: strings as is, true/false,
// integers without a fraction, other numbers in their shortest form, null as "null".
std::string property_text(const boost::json::value& value);

}  // namespace mcpd::tracking
