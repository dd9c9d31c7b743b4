#include "hogql_rows.hpp"

#include <string>

namespace mcpd::tracking {
namespace {

// PostHog's "types" are ClickHouse's (name, type) pairs, e.g. ["count()", "UInt64"]; keep the type.
std::string type_name(const boost::json::value& entry) {
  if (entry.is_string()) return std::string(entry.get_string());
  if (entry.is_array() && !entry.get_array().empty() && entry.get_array().back().is_string()) {
    return std::string(entry.get_array().back().get_string());
  }
  return {};
}

std::string rows_text(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " row" : " rows");
}

}  // namespace

boost::json::object hogql_rows_query(const read_only_hogql& query, const boost::json::object& values,
                                     std::int64_t limit) {
  std::string text = query.text;
  // On a new line, so that a trailing -- comment cannot swallow it.
  if (query.limit_can_be_appended) text.append("\nLIMIT ").append(std::to_string(limit + 1));
  boost::json::object hogql{{"kind", "HogQLQuery"}, {"query", std::move(text)}};
  if (!values.empty()) hogql["values"] = values;
  return hogql;
}

boost::json::object hogql_rows_result(const boost::json::object& response, std::int64_t limit,
                                      std::int64_t max_limit) {
  const auto* columns = response.if_contains("columns");
  const auto* results = response.if_contains("results");
  if (columns == nullptr || !columns->is_array() || results == nullptr || !results->is_array()) {
    throw std::invalid_argument("the query answer has no \"columns\" and \"results\" arrays");
  }
  boost::json::array names;
  for (const auto& column : columns->get_array()) {
    names.emplace_back(column.is_string() ? column.get_string() : boost::json::string(serialize(column)));
  }
  boost::json::array types;
  if (const auto* given = response.if_contains("types"); given != nullptr && given->is_array()) {
    for (const auto& entry : given->get_array()) types.emplace_back(type_name(entry));
  }

  const auto cap = static_cast<std::size_t>(limit);
  const auto& all = results->get_array();
  boost::json::array rows(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(std::min(cap, all.size())));
  const auto* has_more = response.if_contains("hasMore");
  const bool posthog_has_more = has_more != nullptr && has_more->is_bool() && has_more->get_bool();
  const bool cut = all.size() > cap;

  const std::size_t row_count = rows.size();
  boost::json::object result{{"columns", std::move(names)},
                             {"types", std::move(types)},
                             {"rows", std::move(rows)},
                             {"row_count", row_count},
                             {"truncated", cut || posthog_has_more}};
  if (const auto* hogql = response.if_contains("hogql"); hogql != nullptr && hogql->is_string()) {
    result["hogql"] = hogql->get_string();
  }
  if (cut) {
    result["note"] =
        "Only the first " + rows_text(cap) + " are returned (limit); the query matched more. " +
        (limit < max_limit ? "Raise limit (up to " + std::to_string(max_limit) + "), or narrow" : "Narrow") +
        " the query: filter with WHERE, aggregate with GROUP BY, or page with a WHERE on the "
        "last row's ORDER BY value.";
  } else if (posthog_has_more) {
    result["note"] = "PostHog stopped after " + rows_text(row_count) +
                     " (its default when it sets the LIMIT itself) and says more match. End the query with "
                     "LIMIT n (n up to " +
                     std::to_string(limit) + ") to get more.";
  }
  return result;
}

}  // namespace mcpd::tracking
