// The read-only check of the query tool: a caller's HogQL must be one SELECT (or WITH ... SELECT) and
// nothing else. It reads HogQL tokens (hogql_tokens.hpp), so a keyword or ';' inside a string literal,
// quoted identifier or comment counts for nothing, and a statement that a comment tries to hide is still
// seen. It refuses early with a clear message; it is not what keeps PostHog safe: HogQL's grammar has no
// statement but SELECT, and PostHog runs every query read-only.
#pragma once

#include <string>
#include <string_view>

namespace mcpd::tracking {

struct read_only_hogql {
  // The query to send: the caller's text, cut before a final ';' (HogQL's grammar has no ';' at all).
  std::string text;
  // True for a single SELECT that has no LIMIT, OFFSET, SETTINGS, UNION, INTERSECT or EXCEPT outside
  // parentheses and does not start with one: a LIMIT can be appended to it without changing its meaning.
  bool limit_can_be_appended = false;
};

// Checks `text`. Throws std::invalid_argument whose what() says what is wrong, where (line and column) and
// how to fix it, for the tool to prefix with its name.
read_only_hogql check_read_only_hogql(std::string_view text);

}  // namespace mcpd::tracking
