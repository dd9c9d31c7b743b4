#include "local_evaluator.hpp"

#include <algorithm>
#include <vector>

#include "../util/json_access.hpp"
#include "flag_hash.hpp"
#include "property_match.hpp"

namespace mcpd::tracking {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;
using json_access::array_or_empty;
using json_access::number_of;
using json_access::object_or_empty;

// Cohorts may refer to cohorts; a cycle or an absurd depth is not decided locally.
constexpr int max_cohort_depth = 16;

bool is_true(const value* v) {
  return v != nullptr && v->is_bool() && v->get_bool();
}

class evaluator {
 public:
  evaluator(const flag_definitions& definitions, std::chrono::system_clock::time_point now)
      : definitions_(definitions), now_(now) {}

  property_match match_filter(const object& filter, const object& properties, int depth) const {
    const auto type = filter.if_contains("type");
    property_match result;
    if (type != nullptr && type->is_string() && type->get_string() == "cohort") {
      result = match_cohort(filter, properties, depth);
    } else if (type != nullptr && type->is_string() && type->get_string() == "flag") {
      return property_match::inconclusive("the condition depends on another flag");
    } else {
      result = match_property(filter, properties, now_, &definitions_.patterns);
    }
    const bool decided = result.outcome == match_outcome::match || result.outcome == match_outcome::no_match;
    if (is_true(filter.if_contains("negation")) && decided) {
      result.outcome =
          result.outcome == match_outcome::match ? match_outcome::no_match : match_outcome::match;
    }
    return result;
  }

 private:
  property_match match_cohort(const object& filter, const object& properties, int depth) const {
    const auto* id = filter.if_contains("value");
    const std::string cohort_id = id == nullptr ? std::string() : property_text(*id);
    const auto* cohort = definitions_.cohorts.if_contains(cohort_id);
    if (cohort == nullptr || !cohort->is_object()) {
      return property_match::inconclusive("cohort " + cohort_id +
                                          " is not in the local definitions (static cohort?)");
    }
    if (depth >= max_cohort_depth) return property_match::inconclusive("cohorts nest too deeply");
    return match_group(cohort->get_object(), properties, depth + 1);
  }

  // {"type": "AND"|"OR", "values": [either property groups or properties]}
  property_match match_group(const object& group, const object& properties, int depth) const {
    const auto* type_value = group.if_contains("type");
    const bool any = type_value != nullptr && type_value->is_string() && type_value->get_string() == "OR";
    const auto& values = array_or_empty(group.if_contains("values"));
    if (values.empty()) return property_match::of(true);
    std::string inconclusive_why;
    for (const auto& item : values) {
      if (!item.is_object()) continue;
      const auto& entry = item.get_object();
      const bool nested = entry.if_contains("values") != nullptr && entry.at("values").is_array();
      const property_match one =
          nested ? match_group(entry, properties, depth) : match_filter(entry, properties, depth);
      if (one.outcome == match_outcome::error) return one;
      if (one.outcome == match_outcome::inconclusive) {
        inconclusive_why = one.why;
        continue;
      }
      const bool matched = one.outcome == match_outcome::match;
      if (any && matched) return property_match::of(true);
      if (!any && !matched) return property_match::of(false);
    }
    if (!inconclusive_why.empty()) return property_match::inconclusive(inconclusive_why);
    return property_match::of(!any);
  }

  const flag_definitions& definitions_;
  std::chrono::system_clock::time_point now_;
};

std::optional<boost::json::value> payload_for(const object& filters, std::string_view payload_key) {
  return json_access::flag_payload(object_or_empty(filters.if_contains("payloads")).if_contains(payload_key));
}

bool variant_exists(const array& variants, std::string_view key) {
  return std::any_of(variants.begin(), variants.end(), [&](const value& v) {
    const auto* k = v.is_object() ? v.get_object().if_contains("key") : nullptr;
    return k != nullptr && k->is_string() && k->get_string() == key;
  });
}

local_flag_result inconclusive(std::string why) {
  local_flag_result result;
  result.reason = "inconclusive";
  result.inconclusive_why = std::move(why);
  return result;
}

}  // namespace

std::optional<std::string> matching_variant(std::string_view flag_key, std::string_view bucketing_id,
                                            const array& variants) {
  const double hash = flag_hash(flag_key, bucketing_id, "variant");
  double low = 0.0;
  for (const auto& item : variants) {
    if (!item.is_object()) continue;
    const auto& variant = item.get_object();
    const double share = number_of(variant.if_contains("rollout_percentage")).value_or(0.0) / 100.0;
    const double high = low + share;
    const auto* key = variant.if_contains("key");
    if (hash >= low && hash < high && key != nullptr && key->is_string())
      return std::string(key->get_string());
    low = high;
  }
  return std::nullopt;
}

local_flag_result evaluate_flag_locally(const object& flag, const flag_definitions& definitions,
                                        const flag_evaluation_input& input,
                                        std::chrono::system_clock::time_point now) {
  const auto* key_value = flag.if_contains("key");
  const std::string flag_key =
      key_value != nullptr && key_value->is_string() ? std::string(key_value->get_string()) : "";
  if (const auto* active = flag.if_contains("active");
      active != nullptr && active->is_bool() && !active->get_bool()) {
    local_flag_result result;
    result.decided = true;
    result.reason = "flag_disabled";
    return result;
  }
  if (is_true(flag.if_contains("ensure_experience_continuity"))) {
    return inconclusive("the flag keeps experience continuity, which needs PostHog's stored overrides");
  }
  const auto& filters = object_or_empty(flag.if_contains("filters"));
  if (!array_or_empty(filters.if_contains("super_groups")).empty() ||
      !array_or_empty(filters.if_contains("holdout_groups")).empty()) {
    return inconclusive("the flag uses early-access or holdout groups");
  }

  object properties;
  std::string bucketing_id;
  const auto* group_index = filters.if_contains("aggregation_group_type_index");
  if (group_index != nullptr && !group_index->is_null()) {
    const std::string index_text = property_text(*group_index);
    const auto* group_type = definitions.group_type_mapping.if_contains(index_text);
    if (group_type == nullptr || !group_type->is_string()) {
      return inconclusive("group type " + index_text + " is not in the local definitions");
    }
    const auto* group_key = input.groups.if_contains(group_type->get_string());
    if (group_key == nullptr || !group_key->is_string()) {
      local_flag_result result;
      result.decided = true;
      result.reason = "no_group_type";
      return result;
    }
    bucketing_id = std::string(group_key->get_string());
    properties = object_or_empty(input.group_properties.if_contains(group_type->get_string()));
    properties.emplace("$group_key", bucketing_id);
  } else {
    const auto* identifier = filters.if_contains("bucketing_identifier");
    if (identifier == nullptr) identifier = flag.if_contains("bucketing_identifier");
    if (identifier != nullptr && identifier->is_string() && identifier->get_string() == "device_id") {
      return inconclusive("the flag buckets by device_id");
    }
    bucketing_id = input.distinct_id;
    properties = input.person_properties;
    properties.emplace("distinct_id", input.distinct_id);
  }

  const auto& conditions = array_or_empty(filters.if_contains("groups"));
  const auto& variants =
      array_or_empty(object_or_empty(filters.if_contains("multivariate")).if_contains("variants"));
  // Conditions that force a variant are tried first, as PostHog does; indexes stay the original ones.
  std::vector<std::size_t> order(conditions.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    auto has_variant = [&](std::size_t i) {
      const auto& c = object_or_empty(&conditions[i]);
      const auto* v = c.if_contains("variant");
      return v != nullptr && v->is_string();
    };
    return has_variant(a) && !has_variant(b);
  });

  const evaluator matcher(definitions, now);
  std::string inconclusive_why;
  bool out_of_rollout = false;
  for (const std::size_t index : order) {
    const auto& condition = object_or_empty(&conditions[index]);
    bool properties_match = true;
    bool undecided = false;
    for (const auto& filter : array_or_empty(condition.if_contains("properties"))) {
      if (!filter.is_object()) continue;
      const property_match one = matcher.match_filter(filter.get_object(), properties, 0);
      if (one.outcome == match_outcome::error) {
        local_flag_result result;
        result.decided = true;
        result.reason = "evaluation_error";
        result.error = "release condition " + std::to_string(index) + ": " + one.why;
        return result;
      }
      if (one.outcome == match_outcome::inconclusive) {
        undecided = true;
        inconclusive_why = one.why;
        break;
      }
      if (one.outcome == match_outcome::no_match) {
        properties_match = false;
        break;
      }
    }
    if (undecided || !properties_match) continue;
    if (const auto rollout = number_of(condition.if_contains("rollout_percentage"));
        rollout && flag_hash(flag_key, bucketing_id) > *rollout / 100.0) {
      out_of_rollout = true;
      continue;
    }

    local_flag_result result;
    result.decided = true;
    result.enabled = true;
    result.reason = "condition_match";
    result.condition_index = index;
    const auto* forced = condition.if_contains("variant");
    if (forced != nullptr && forced->is_string() && variant_exists(variants, forced->get_string())) {
      result.variant = std::string(forced->get_string());
    } else if (!variants.empty()) {
      result.variant = matching_variant(flag_key, bucketing_id, variants);
    }
    result.payload = payload_for(filters, result.variant ? std::string_view(*result.variant) : "true");
    return result;
  }
  if (!inconclusive_why.empty()) return inconclusive(inconclusive_why);
  local_flag_result result;
  result.decided = true;
  result.reason = out_of_rollout ? "out_of_rollout_bound" : "no_condition_match";
  return result;
}

}  // namespace mcpd::tracking
