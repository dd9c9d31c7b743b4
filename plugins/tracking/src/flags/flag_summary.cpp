#include "flag_summary.hpp"

#include <algorithm>
#include <optional>

#include "../util/json_access.hpp"
#include "property_match.hpp"

namespace mcpd::tracking {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;
using json_access::array_or_empty;
using json_access::number_of;

std::string percent_text(double percent) {
  return property_text(value(percent)) + "%";
}

std::string operator_text(std::string_view op) {
  if (op == "exact") return " = ";
  if (op == "is_not") return " != ";
  if (op == "icontains") return " contains ";
  if (op == "not_icontains") return " does not contain ";
  if (op == "regex") return " matches ";
  if (op == "not_regex") return " does not match ";
  if (op == "gt") return " > ";
  if (op == "gte") return " >= ";
  if (op == "lt") return " < ";
  if (op == "lte") return " <= ";
  if (op == "is_date_before") return " before ";
  if (op == "is_date_after") return " after ";
  return " " + std::string(op) + " ";
}

std::string describe_property(const object& filter) {
  const auto* type = filter.if_contains("type");
  const auto* key = filter.if_contains("key");
  const auto* raw_value = filter.if_contains("value");
  const std::string value_text = raw_value == nullptr ? "" : property_text(*raw_value);
  if (type != nullptr && type->is_string() && type->get_string() == "cohort") {
    const bool negated = filter.if_contains("negation") != nullptr && filter.at("negation").is_bool() &&
                         filter.at("negation").get_bool();
    return std::string(negated ? "not in cohort " : "in cohort ") + value_text;
  }
  const std::string name = key != nullptr && key->is_string() ? std::string(key->get_string()) : "?";
  std::string op = "exact";
  if (const auto* given = filter.if_contains("operator"); given != nullptr && given->is_string()) {
    op = std::string(given->get_string());
  }
  if (op == "is_set") return name + " is set";
  if (op == "is_not_set") return name + " is not set";
  if (raw_value != nullptr && raw_value->is_array() && (op == "exact" || op == "is_not")) {
    std::string list;
    for (const auto& item : raw_value->get_array()) {
      if (!list.empty()) list.append(", ");
      list.append(property_text(item));
    }
    return name + (op == "exact" ? " in [" : " not in [") + list + "]";
  }
  return name + operator_text(op) + value_text;
}

}  // namespace

std::string rollout_summary(const object& filters) {
  const auto& groups = array_or_empty(filters.if_contains("groups"));
  if (groups.empty()) return "no release conditions: off for everyone";
  const auto* aggregation = filters.if_contains("aggregation_group_type_index");
  const std::string population = aggregation != nullptr && !aggregation->is_null()
                                     ? "groups of type " + property_text(*aggregation)
                                     : std::string("users");
  std::string summary;
  for (const auto& group_value : groups) {
    if (!group_value.is_object()) continue;
    const auto& group = group_value.get_object();
    const auto rollout = number_of(group.if_contains("rollout_percentage")).value_or(100.0);
    std::string line = percent_text(rollout) + " of " + population;
    std::string conditions;
    for (const auto& property : array_or_empty(group.if_contains("properties"))) {
      if (!property.is_object()) continue;
      if (!conditions.empty()) conditions.append(" and ");
      conditions.append(describe_property(property.get_object()));
    }
    if (!conditions.empty()) line.append(" where ").append(conditions);
    if (const auto* variant = group.if_contains("variant"); variant != nullptr && variant->is_string()) {
      line.append(" (variant ").append(variant->get_string()).append(")");
    }
    if (!summary.empty()) summary.append("; ");
    summary.append(line);
  }
  return summary;
}

object flag_summary(const object& flag) {
  const auto* key = flag.if_contains("key");
  if (key == nullptr || !key->is_string()) return {};
  static const object empty_filters;
  const auto* filters_value = flag.if_contains("filters");
  const object& filters =
      filters_value != nullptr && filters_value->is_object() ? filters_value->get_object() : empty_filters;

  object item{{"id", 0}, {"key", key->get_string()}};
  if (const auto* id = flag.if_contains("id"); id != nullptr && id->is_int64()) item["id"] = id->get_int64();
  if (const auto* name = flag.if_contains("name");
      name != nullptr && name->is_string() && !name->get_string().empty()) {
    item["name"] = name->get_string();
  }
  const auto* active = flag.if_contains("active");
  item["active"] = active != nullptr && active->is_bool() && active->get_bool();

  const auto* multivariate = filters.if_contains("multivariate");
  const auto& variants = multivariate != nullptr && multivariate->is_object()
                             ? array_or_empty(multivariate->get_object().if_contains("variants"))
                             : array_or_empty(nullptr);
  item["type"] = variants.empty() ? "boolean" : "multivariate";

  // A single condition without property filters is "a rollout of N%"; anything richer only has a summary.
  if (const auto top = number_of(flag.if_contains("rollout_percentage")); top && *top >= 0 && *top <= 100) {
    item["rollout_percentage"] = *top;
  } else {
    const auto& groups = array_or_empty(filters.if_contains("groups"));
    if (groups.size() == 1 && groups[0].is_object() &&
        array_or_empty(groups[0].get_object().if_contains("properties")).empty()) {
      const auto rollout =
          number_of(groups[0].get_object().if_contains("rollout_percentage")).value_or(100.0);
      if (rollout >= 0 && rollout <= 100) item["rollout_percentage"] = rollout;
    }
  }
  if (const auto* rollout = item.if_contains("rollout_percentage")) item["rollout"] = *rollout;  // prototype
  item["rollout_summary"] = rollout_summary(filters);

  if (!variants.empty()) {
    array out;
    for (const auto& variant_value : variants) {
      if (!variant_value.is_object()) continue;
      const auto& variant = variant_value.get_object();
      const auto* variant_key = variant.if_contains("key");
      if (variant_key == nullptr || !variant_key->is_string()) continue;
      const double share =
          std::clamp(number_of(variant.if_contains("rollout_percentage")).value_or(0.0), 0.0, 100.0);
      object entry{{"key", variant_key->get_string()}, {"rollout_percentage", share}};
      if (const auto* name = variant.if_contains("name");
          name != nullptr && name->is_string() && !name->get_string().empty()) {
        entry["name"] = name->get_string();
      }
      out.push_back(std::move(entry));
    }
    item["variants"] = std::move(out);
  }
  if (const auto* tags = flag.if_contains("tags"); tags != nullptr && tags->is_array()) {
    array out;
    for (const auto& tag : tags->get_array()) {
      if (tag.is_string()) out.push_back(tag);
    }
    item["tags"] = std::move(out);
  }
  return item;
}

}  // namespace mcpd::tracking
