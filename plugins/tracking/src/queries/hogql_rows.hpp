// The query tool's request and result: a caller's checked HogQL with its placeholder values and a row cap,
// sent as a HogQLQuery, and PostHog's HogQLQueryResponse cut to that cap.
//
// The cap reaches PostHog when it can: a single SELECT without a LIMIT of its own gets "LIMIT <cap + 1>"
// appended on a line of its own (one row more than the cap tells whether more matched). Any other query is
// sent as written: its own LIMIT, or PostHog's default (100 rows, reported as hasMore), decides how many
// rows come back. Either way rows beyond the cap are cut here and the result says so.
#pragma once

#include <cstdint>
#include <stdexcept>

#include <boost/json.hpp>

#include "read_only_hogql.hpp"

namespace mcpd::tracking {

// {"kind":"HogQLQuery","query":...,"values":{...}}; `values` is left out when empty. Caller-supplied
// values travel only there: PostHog substitutes each {name} placeholder as a constant after parsing.
boost::json::object hogql_rows_query(const read_only_hogql& query, const boost::json::object& values,
                                     std::int64_t limit);

// {columns, types, rows, row_count, truncated, hogql?, note?} from a HogQLQueryResponse, with at most
// `limit` rows; `max_limit` is the largest limit a call may ask for (for the note). Throws
// std::invalid_argument when the response has no "columns" and "results" arrays.
boost::json::object hogql_rows_result(const boost::json::object& response, std::int64_t limit,
                                      std::int64_t max_limit);

}  // namespace mcpd::tracking
