#include "sessions_query.hpp"

#include <array>
#include <stdexcept>
#include <string_view>

#include "../util/timestamps.hpp"

namespace mcpd::tracking {
namespace {

// Column order of the SELECT; results are read by these names (an expression by its alias). The sessions
// table counts each event name in $event_count_map; their sum is the session's number of events.
constexpr std::array<std::string_view, 11> columns = {
    "session_id",
    "distinct_id",
    "$start_timestamp",
    "$end_timestamp",
    "$session_duration",
    "$entry_current_url",
    "$end_current_url",
    "$pageview_count",
    "$is_bounce",
    "$channel_type",
    "arraySum(mapValues($event_count_map)) AS events_count"};

// What the answer's "columns" calls a column of the SELECT.
std::string_view answer_name(std::string_view column) {
  const auto alias = column.rfind(" AS ");
  return alias == std::string_view::npos ? column : column.substr(alias + 4);
}

std::optional<std::int64_t> integer_of(const boost::json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return static_cast<std::int64_t>(v.get_uint64());
  if (v.is_double()) return static_cast<std::int64_t>(v.get_double());
  return std::nullopt;
}

// HogQL answers datetimes with an offset ("2025-01-31T08:15:00.123000+01:00", "...Z"); report UTC.
std::optional<utc_millis> time_of(const boost::json::value& v) {
  if (!v.is_string()) return std::nullopt;
  const auto text = v.get_string();
  return parse_iso8601_with_zone(std::string_view(text.data(), text.size()));
}

}  // namespace

boost::json::object sessions_hogql_query(const sessions_filter& filter) {
  std::string query = "SELECT ";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) query.append(", ");
    query.append(columns[i]);
  }
  query.append(
      " FROM sessions WHERE $start_timestamp >= toDateTime({since}) AND $start_timestamp < "
      "toDateTime({until})");
  boost::json::object values{{"since", filter.since}, {"until", filter.until}};
  if (filter.distinct_id) {
    query.append(" AND distinct_id = {distinct_id}");
    values["distinct_id"] = *filter.distinct_id;
  }
  // session_id breaks ties, so pages never overlap or skip sessions that started in the same millisecond.
  query.append(" ORDER BY $start_timestamp DESC, session_id DESC LIMIT ");
  query.append(std::to_string(filter.limit + 1)).append(" OFFSET ").append(std::to_string(filter.offset));
  return boost::json::object{
      {"kind", "HogQLQuery"}, {"query", std::move(query)}, {"values", std::move(values)}};
}

boost::json::array sessions_from_response(const boost::json::object& response) {
  const auto* names = response.if_contains("columns");
  const auto* rows = response.if_contains("results");
  if (names == nullptr || !names->is_array() || rows == nullptr || !rows->is_array()) {
    throw std::invalid_argument("the query answer has no \"columns\" and \"results\"");
  }
  std::array<std::optional<std::size_t>, columns.size()> position{};
  for (std::size_t i = 0; i < names->get_array().size(); ++i) {
    const auto& name = names->get_array()[i];
    if (!name.is_string()) continue;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (name.get_string() == answer_name(columns[c])) position[c] = i;
    }
  }
  if (!position[0] || !position[1] || !position[2]) {
    throw std::invalid_argument("the query answer lacks session_id, distinct_id or $start_timestamp");
  }

  boost::json::array sessions;
  for (const auto& row_value : rows->get_array()) {
    if (!row_value.is_array()) continue;
    const auto& row = row_value.get_array();
    auto cell = [&](std::size_t column) -> const boost::json::value* {
      if (!position[column] || *position[column] >= row.size()) return nullptr;
      const auto& v = row[*position[column]];
      return v.is_null() ? nullptr : &v;
    };
    const auto* id = cell(0);
    const auto* distinct_id = cell(1);
    if (id == nullptr || !id->is_string() || distinct_id == nullptr || cell(2) == nullptr) continue;
    const auto start_text = time_of(*cell(2));
    if (!start_text) continue;
    const utc_millis start = *start_text;

    boost::json::object session{
        {"session_id", id->get_string()},
        {"id", id->get_string()},
        {"distinct_id", distinct_id->is_string() ? std::string(distinct_id->get_string())
                                                 : boost::json::serialize(*distinct_id)},
        {"start", format_iso8601(start)}};
    const auto end_text = cell(3) != nullptr ? time_of(*cell(3)) : std::nullopt;
    const utc_millis end = end_text.value_or(start - std::chrono::milliseconds(1));
    if (end_text) session["end"] = format_iso8601(end);
    // Milliseconds from the timestamps when both are known; $session_duration only has whole seconds.
    if (end >= start) {
      session["duration_ms"] = (end - start).count();
    } else if (const auto* seconds = cell(4); seconds != nullptr && integer_of(*seconds)) {
      session["duration_ms"] = std::max<std::int64_t>(0, *integer_of(*seconds) * 1000);
    }
    if (const auto* url = cell(5); url != nullptr && url->is_string())
      session["entry_url"] = url->get_string();
    if (const auto* url = cell(6); url != nullptr && url->is_string())
      session["exit_url"] = url->get_string();
    if (const auto* count = cell(7); count != nullptr && integer_of(*count)) {
      session["pageview_count"] = std::max<std::int64_t>(0, *integer_of(*count));
    }
    if (const auto* bounce = cell(8); bounce != nullptr) {
      if (bounce->is_bool())
        session["is_bounce"] = bounce->get_bool();
      else if (integer_of(*bounce))
        session["is_bounce"] = *integer_of(*bounce) != 0;
    }
    if (const auto* channel = cell(9); channel != nullptr && channel->is_string()) {
      session["channel_type"] = channel->get_string();
    }
    if (const auto* count = cell(10); count != nullptr && integer_of(*count)) {
      session["events_count"] = std::max<std::int64_t>(0, *integer_of(*count));
    }
    sessions.push_back(std::move(session));
  }
  return sessions;
}

}  // namespace mcpd::tracking
