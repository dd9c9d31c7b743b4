#include "property_match.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <optional>

#include "../util/timestamps.hpp"
#include "semver.hpp"

namespace mcpd::tracking {
namespace {

std::string lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
  return out;
}

std::optional<double> as_number(const boost::json::value& value) {
  if (value.is_int64()) return static_cast<double>(value.get_int64());
  if (value.is_uint64()) return static_cast<double>(value.get_uint64());
  if (value.is_double()) return value.get_double();
  if (value.is_string()) {
    const auto text = value.get_string();
    std::string_view view(text.data(), text.size());
    while (!view.empty() && view.front() == ' ') view.remove_prefix(1);
    while (!view.empty() && view.back() == ' ') view.remove_suffix(1);
    if (view.starts_with('+')) view.remove_prefix(1);
    double number = 0;
    const auto [end, error] = std::from_chars(view.data(), view.data() + view.size(), number);
    if (view.empty() || error != std::errc{} || end != view.data() + view.size() || !std::isfinite(number)) {
      return std::nullopt;
    }
    return number;
  }
  return std::nullopt;
}

bool exact_match(const boost::json::value& flag_value, const boost::json::value& supplied) {
  const std::string supplied_text = lowered(property_text(supplied));
  if (flag_value.is_array()) {
    return std::any_of(
        flag_value.get_array().begin(), flag_value.get_array().end(),
        [&](const boost::json::value& item) { return lowered(property_text(item)) == supplied_text; });
  }
  return lowered(property_text(flag_value)) == supplied_text;
}

// gt/gte/lt/lte: numbers when both sides are numbers, otherwise text order.
bool compare(const boost::json::value& supplied, const boost::json::value& flag_value, std::string_view op) {
  int order = 0;
  const auto left = as_number(supplied);
  const auto right = as_number(flag_value);
  if (left && right) {
    order = *left < *right ? -1 : (*left > *right ? 1 : 0);
  } else {
    const auto a = property_text(supplied);
    const auto b = property_text(flag_value);
    order = a < b ? -1 : (a > b ? 1 : 0);
  }
  if (op == "gt") return order > 0;
  if (op == "gte") return order >= 0;
  if (op == "lt") return order < 0;
  return order <= 0;
}

property_match match_date(const boost::json::value& flag_value, const boost::json::value& supplied,
                          std::string_view op, std::chrono::system_clock::time_point now) {
  const auto now_ms = std::chrono::time_point_cast<std::chrono::milliseconds>(now);
  const auto boundary = parse_time_bound(property_text(flag_value), now_ms);
  if (!boundary)
    return property_match::inconclusive("the flag's date \"" + property_text(flag_value) +
                                        "\" is not a date");
  if (!supplied.is_string()) return property_match::inconclusive("the supplied date is not a date string");
  const auto text = supplied.get_string();
  const auto when = parse_time_bound(std::string_view(text.data(), text.size()), now_ms);
  if (!when || std::string_view(text.data(), text.size()).starts_with('-')) {
    return property_match::inconclusive("the supplied value is not an ISO-8601 date");
  }
  if (op == "is_date_before") return property_match::of(*when < *boundary);
  if (op == "is_date_after") return property_match::of(*when > *boundary);
  return property_match::of(std::chrono::floor<std::chrono::days>(*when) ==
                            std::chrono::floor<std::chrono::days>(*boundary));
}

property_match match_semver(const boost::json::value& flag_value, const boost::json::value& supplied,
                            std::string_view op) {
  const auto version = parse_semver(property_text(supplied));
  if (!version) return property_match::inconclusive("the supplied value is not a version number");
  const std::string pattern = property_text(flag_value);
  if (op == "semver_tilde" || op == "semver_caret" || op == "semver_wildcard") {
    const auto range = op == "semver_tilde"   ? tilde_range(pattern)
                       : op == "semver_caret" ? caret_range(pattern)
                                              : wildcard_range(pattern);
    if (!range) return property_match::inconclusive("the flag's version pattern is not valid");
    return property_match::of(*version >= range->low && *version < range->high);
  }
  const auto target = parse_semver(pattern);
  if (!target) return property_match::inconclusive("the flag's version is not valid");
  if (op == "semver_eq") return property_match::of(*version == *target);
  if (op == "semver_neq") return property_match::of(*version != *target);
  if (op == "semver_gt") return property_match::of(*version > *target);
  if (op == "semver_gte") return property_match::of(*version >= *target);
  if (op == "semver_lt") return property_match::of(*version < *target);
  return property_match::of(*version <= *target);  // semver_lte
}

property_match match_regex(const boost::json::value& flag_value, const boost::json::value& supplied,
                           std::string_view key, bool negated, const regex_patterns* patterns) {
  const std::string pattern = property_text(flag_value);
  const compiled_regex* regex = patterns != nullptr ? patterns->find(pattern) : nullptr;
  compiled_regex compiled_here;
  if (regex == nullptr) {
    compiled_here = compile_regex(pattern);
    regex = &compiled_here;
  }
  if (regex->program == nullptr) {
    return property_match::error("the regex \"" + pattern + "\" on property \"" + std::string(key) +
                                 "\" cannot be evaluated: " + regex->error +
                                 " (regular expressions are matched with RE2, which has no back-references "
                                 "or look-around; rewrite the pattern in PostHog)");
  }
  const std::string subject = property_text(supplied);
  if (subject.size() > max_regex_subject_bytes) {
    return property_match::error("the value of property \"" + std::string(key) + "\" is " +
                                 std::to_string(subject.size()) +
                                 " bytes; regex operators match values of at most " +
                                 std::to_string(max_regex_subject_bytes) + " bytes");
  }
  const bool found = regex_finds(*regex, subject);
  return property_match::of(negated ? !found : found);
}

}  // namespace

std::string property_text(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::string:
      return std::string(value.get_string());
    case boost::json::kind::bool_:
      return value.get_bool() ? "true" : "false";
    case boost::json::kind::int64:
      return std::to_string(value.get_int64());
    case boost::json::kind::uint64:
      return std::to_string(value.get_uint64());
    case boost::json::kind::double_: {
      const double number = value.get_double();
      char buffer[64];
      const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, number);
      return error == std::errc{} ? std::string(buffer, end) : std::string("nan");
    }
    case boost::json::kind::null:
      return "null";
    default:
      return boost::json::serialize(value);
  }
}

property_match match_property(const boost::json::object& filter, const boost::json::object& properties,
                              std::chrono::system_clock::time_point now, const regex_patterns* patterns) {
  const auto* key_value = filter.if_contains("key");
  if (key_value == nullptr || !key_value->is_string())
    return property_match::inconclusive("a property filter has no key");
  const std::string_view key(key_value->get_string().data(), key_value->get_string().size());
  std::string op = "exact";
  if (const auto* given = filter.if_contains("operator"); given != nullptr && given->is_string()) {
    op = std::string(given->get_string());
  }
  static const boost::json::value null_value;
  const auto* flag_value_ptr = filter.if_contains("value");
  const boost::json::value& flag_value = flag_value_ptr != nullptr ? *flag_value_ptr : null_value;

  const auto* supplied_ptr = properties.if_contains(key);
  if (op == "is_not_set") {
    if (supplied_ptr != nullptr) return property_match::of(false);
    return property_match::inconclusive("is_not_set on \"" + std::string(key) +
                                        "\" depends on what PostHog stores");
  }
  if (supplied_ptr == nullptr) {
    return property_match::inconclusive("property \"" + std::string(key) + "\" was not supplied");
  }
  const boost::json::value& supplied = *supplied_ptr;

  if (op == "exact") return property_match::of(exact_match(flag_value, supplied));
  if (op == "is_not") return property_match::of(!exact_match(flag_value, supplied));
  if (op == "is_set") return property_match::of(true);
  if (op == "icontains" || op == "not_icontains") {
    const bool contains =
        lowered(property_text(supplied)).find(lowered(property_text(flag_value))) != std::string::npos;
    return property_match::of(op == "icontains" ? contains : !contains);
  }
  if (op == "starts_with")
    return property_match::of(
        lowered(property_text(supplied)).starts_with(lowered(property_text(flag_value))));
  if (op == "ends_with")
    return property_match::of(lowered(property_text(supplied)).ends_with(lowered(property_text(flag_value))));
  if (op == "regex" || op == "not_regex")
    return match_regex(flag_value, supplied, key, op == "not_regex", patterns);
  if (op == "gt" || op == "gte" || op == "lt" || op == "lte")
    return property_match::of(compare(supplied, flag_value, op));
  if (op == "is_date_before" || op == "is_date_after" || op == "is_date_exact") {
    return match_date(flag_value, supplied, op, now);
  }
  if (op.starts_with("semver_")) {
    static constexpr std::string_view known[] = {"semver_eq",    "semver_neq",   "semver_gt",
                                                 "semver_gte",   "semver_lt",    "semver_lte",
                                                 "semver_tilde", "semver_caret", "semver_wildcard"};
    if (std::find(std::begin(known), std::end(known), op) != std::end(known))
      return match_semver(flag_value, supplied, op);
  }
  return property_match::inconclusive("operator \"" + op + "\" is not evaluated locally");
}

}  // namespace mcpd::tracking
