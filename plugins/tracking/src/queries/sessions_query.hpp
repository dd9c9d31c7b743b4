// The HogQL behind tracking.sessions_list. Caller-supplied values never enter the query text: they travel in
// HogQLQuery.values and the query names them as {placeholders}, which PostHog substitutes as constants after
// parsing, so a quote in a distinct_id is data, not syntax. Only numbers the plugin computed (limit, offset)
// are written into the text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/json.hpp>

namespace mcpd::tracking {

struct sessions_filter {
  std::optional<std::string> distinct_id;
  std::string since;  // ISO-8601 UTC, inclusive
  std::string until;  // ISO-8601 UTC, exclusive
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};

// {"kind":"HogQLQuery","query":...,"values":{...}}; asks for limit + 1 rows to learn whether more exist.
boost::json::object sessions_hogql_query(const sessions_filter& filter);

// Maps a HogQLQueryResponse ({"columns":[...],"results":[[...],...]}) to sessions_list items. Throws
// std::invalid_argument when the response lacks them.
boost::json::array sessions_from_response(const boost::json::object& response);

}  // namespace mcpd::tracking
