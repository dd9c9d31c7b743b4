#include "funnel_query.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "../flags/property_match.hpp"

namespace mcpd::tracking {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

std::int64_t count_of(const object& step) {
  const auto* count = step.if_contains("count");
  if (count == nullptr) return 0;
  // An answer's numbers are not trusted to fit: found by the posthog_responses fuzzer (1e20 as a count).
  constexpr auto most = std::numeric_limits<std::int64_t>::max();
  if (count->is_int64()) return std::max<std::int64_t>(0, count->get_int64());
  if (count->is_uint64())
    return count->get_uint64() > static_cast<std::uint64_t>(most)
               ? most
               : static_cast<std::int64_t>(count->get_uint64());
  if (count->is_double()) {
    const double number = count->get_double();
    if (!std::isfinite(number) || number <= 0) return 0;
    return number >= 9.2e18 ? most : static_cast<std::int64_t>(number);
  }
  return 0;
}

std::optional<double> seconds_of(const object& step, std::string_view key) {
  const auto* v = step.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_double()) return v->get_double() >= 0 ? std::optional<double>(v->get_double()) : std::nullopt;
  if (v->is_int64())
    return v->get_int64() >= 0 ? std::optional<double>(static_cast<double>(v->get_int64())) : std::nullopt;
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return std::nullopt;
}

double ratio(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return 0.0;
  return std::clamp(static_cast<double>(part) / static_cast<double>(whole), 0.0, 1.0);
}

// One list of step objects, ordered by "order" (PostHog sends them in order; sorting costs nothing).
std::vector<const object*> steps_of(const array& list, std::size_t expected) {
  std::vector<const object*> steps;
  for (const auto& item : list) {
    if (!item.is_object()) throw std::invalid_argument("a funnel step is not an object");
    steps.push_back(&item.get_object());
  }
  if (steps.size() != expected) {
    throw std::invalid_argument("the funnel has " + std::to_string(steps.size()) + " steps, expected " +
                                std::to_string(expected));
  }
  return steps;
}

std::string breakdown_text(const object& step) {
  for (const char* key : {"breakdown_value", "breakdown"}) {
    const auto* v = step.if_contains(key);
    if (v == nullptr || v->is_null()) continue;
    if (v->is_array()) {
      std::string text;
      for (const auto& part : v->get_array()) {
        if (!text.empty()) text.append(", ");
        text.append(property_text(part));
      }
      return text;
    }
    return property_text(*v);
  }
  return "";
}

}  // namespace

object funnels_query(const funnel_request& request) {
  array series;
  for (const auto& step : request.steps) {
    object node{{"kind", "EventsNode"}, {"event", step.event}, {"name", step.event}};
    if (!step.label.empty()) node["custom_name"] = step.label;
    if (!step.match.empty()) {
      array properties;
      for (const auto& [key, expected] : step.match) {
        properties.push_back(
            object{{"key", key}, {"value", expected}, {"operator", "exact"}, {"type", "event"}});
      }
      node["properties"] = std::move(properties);
    }
    series.push_back(std::move(node));
  }
  object date_range{{"date_from", request.since}};
  if (request.until) date_range["date_to"] = *request.until;
  object query{{"kind", "FunnelsQuery"},
               {"series", std::move(series)},
               {"dateRange", std::move(date_range)},
               {"funnelsFilter", object{{"funnelWindowInterval", request.window_interval},
                                        {"funnelWindowIntervalUnit", request.window_unit},
                                        {"funnelOrderType", request.order}}},
               {"filterTestAccounts", request.filter_test_accounts}};
  if (request.breakdown_property) {
    query["breakdownFilter"] =
        object{{"breakdown", *request.breakdown_property}, {"breakdown_type", request.breakdown_type}};
  }
  return query;
}

object funnel_result(const funnel_request& request, const object& answer) {
  const auto* results = answer.if_contains("results");
  if (results == nullptr || !results->is_array())
    throw std::invalid_argument("the answer has no \"results\" list");
  const std::size_t step_count = request.steps.size();

  // Without a breakdown: one list of steps. With one: a list of such lists, one per value.
  std::vector<std::vector<const object*>> groups;
  const auto& list = results->get_array();
  const bool nested = !list.empty() && list.front().is_array();
  if (nested) {
    for (const auto& group : list) {
      if (!group.is_array()) throw std::invalid_argument("breakdown results mix lists and objects");
      groups.push_back(steps_of(group.get_array(), step_count));
    }
  } else if (!list.empty()) {
    groups.push_back(steps_of(list, step_count));
  }

  // Totals over all breakdown values; the average time is weighted by the people converting at that step.
  std::vector<std::int64_t> totals(step_count, 0);
  std::vector<double> weighted_seconds(step_count, 0.0);
  std::vector<std::int64_t> timed(step_count, 0);
  for (const auto& group : groups) {
    for (std::size_t i = 0; i < step_count; ++i) {
      const auto count = count_of(*group[i]);
      totals[i] += count;
      if (const auto seconds = seconds_of(*group[i], "average_conversion_time")) {
        weighted_seconds[i] += *seconds * static_cast<double>(count);
        timed[i] += count;
      }
    }
  }

  array steps;
  for (std::size_t i = 0; i < step_count; ++i) {
    const auto& input = request.steps[i];
    object step{{"order", static_cast<std::int64_t>(i)},
                {"label", input.label.empty() ? input.event : input.label},
                {"event", input.event},
                {"count", totals[i]},
                {"dropoff", i == 0 ? 0 : std::max<std::int64_t>(0, totals[i - 1] - totals[i])},
                {"drop_off", i == 0 ? 0 : std::max<std::int64_t>(0, totals[i - 1] - totals[i])},
                {"conversion_from_first", i == 0 ? (totals[0] > 0 ? 1.0 : 0.0) : ratio(totals[i], totals[0])},
                {"conversion_from_previous", i == 0 ? 1.0 : ratio(totals[i], totals[i - 1])}};
    if (i > 0 && timed[i] > 0)
      step["average_conversion_time_s"] = weighted_seconds[i] / static_cast<double>(timed[i]);
    if (i > 0 && groups.size() == 1) {
      if (const auto median = seconds_of(*groups[0][i], "median_conversion_time"))
        step["median_conversion_time_s"] = *median;
    }
    steps.push_back(std::move(step));
  }
  const double overall = step_count > 0 ? ratio(totals[step_count - 1], totals[0]) : 0.0;
  object result{{"steps", std::move(steps)},
                {"overall_conversion", overall},
                {"summary", object{{"conversion_rate", overall}}},  // the prototype's name for it
                {"since", request.since}};
  if (request.until) result["until"] = *request.until;
  if (request.breakdown_property) {
    array breakdowns;
    for (const auto& group : groups) {
      array group_steps;
      const auto first = count_of(*group[0]);
      for (std::size_t i = 0; i < step_count; ++i) {
        group_steps.push_back(object{
            {"order", static_cast<std::int64_t>(i)},
            {"count", count_of(*group[i])},
            {"conversion_from_first", i == 0 ? (first > 0 ? 1.0 : 0.0) : ratio(count_of(*group[i]), first)}});
      }
      breakdowns.push_back(object{{"value", breakdown_text(*group[0])},
                                  {"steps", std::move(group_steps)},
                                  {"overall_conversion", ratio(count_of(*group[step_count - 1]), first)}});
    }
    result["breakdowns"] = std::move(breakdowns);
  }
  return result;
}

}  // namespace mcpd::tracking
