#include "read_only_hogql.hpp"

#include <array>
#include <stdexcept>
#include <vector>

#include "hogql_tokens.hpp"

namespace mcpd::tracking {
namespace {

bool is_symbol(const hogql_token& token, char symbol) {
  return token.type == hogql_token::kind::symbol && token.text.size() == 1 && token.text[0] == symbol;
}

// The start of the text at `offset`, on one line, for quoting in a message.
std::string excerpt(std::string_view text, std::size_t offset) {
  constexpr std::size_t longest = 40;
  std::string_view rest = text.substr(offset);
  bool cut = false;
  if (rest.size() > longest) {
    std::size_t end = longest;
    while (end > 0 && (static_cast<unsigned char>(rest[end]) & 0xC0) == 0x80) --end;  // keep UTF-8 whole
    rest = rest.substr(0, end);
    cut = true;
  }
  std::string out;
  for (const char c : rest) out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return cut ? out + "..." : out;
}

// How a message names the token a statement starts with: a word in capitals, anything else quoted.
std::string named(const hogql_token& token) {
  if (token.type != hogql_token::kind::word) return "\"" + std::string(token.text.substr(0, 20)) + "\"";
  std::string word(token.text);
  for (char& c : word) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return word;
}

// Paren depth before each token: (, [ and { open, ), ] and } close.
std::vector<int> depths_of(const std::vector<hogql_token>& tokens) {
  std::vector<int> depths;
  depths.reserve(tokens.size());
  int depth = 0;
  for (const auto& token : tokens) {
    if (is_symbol(token, ')') || is_symbol(token, ']') || is_symbol(token, '}')) --depth;
    depths.push_back(depth);
    if (is_symbol(token, '(') || is_symbol(token, '[') || is_symbol(token, '{')) ++depth;
  }
  return depths;
}

// A keyword of the statement itself: a word at `depth` that is not a property name (`properties.limit`).
bool is_clause_keyword(const std::vector<hogql_token>& tokens, const std::vector<int>& depths, std::size_t i,
                       int depth, std::string_view keyword) {
  return depths[i] == depth && is_keyword(tokens[i], keyword) && !(i > 0 && is_symbol(tokens[i - 1], '.'));
}

}  // namespace

read_only_hogql check_read_only_hogql(std::string_view text) {
  std::vector<hogql_token> tokens;
  try {
    tokens = hogql_tokens(text);
  } catch (const hogql_unterminated& open) {
    std::string message = "\"query\" has an unterminated " + std::string(open.what()) + " starting at " +
                          hogql_position(text, open.offset()) + ": close it with " + open.closing();
    if (open.closing() != "*/") message += " (write a quote inside it twice, or after a backslash)";
    throw std::invalid_argument(message);
  }

  // A final ';' (only whitespace and comments after it) just ends the statement; any other starts another.
  std::size_t end = tokens.size();
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (!is_symbol(tokens[i], ';')) continue;
    if (i + 1 == tokens.size()) {
      end = i;
      break;
    }
    throw std::invalid_argument("\"query\" holds more than one statement: the ';' at " +
                                hogql_position(text, tokens[i].offset) + " is followed by \"" +
                                excerpt(text, tokens[i + 1].offset) +
                                "\". Send one SELECT per call (a ';' inside a string literal is fine).");
  }
  if (end == 0) {
    throw std::invalid_argument(
        "\"query\" holds no statement, only whitespace or comments; pass one HogQL SELECT, e.g. SELECT "
        "event, count() FROM events GROUP BY event");
  }

  const auto depths = depths_of(tokens);
  std::size_t first = 0;
  while (first + 1 < end && is_symbol(tokens[first], '(')) ++first;  // (SELECT ...) UNION ALL (SELECT ...)
  const auto& head = tokens[first];
  if (!is_keyword(head, "select") && !is_keyword(head, "with")) {
    throw std::invalid_argument(
        "\"query\" must be one read-only SELECT (or WITH ... SELECT), but it starts with " + named(head) +
        " at " + hogql_position(text, head.offset) +
        ". This tool only reads: write a SELECT; HogQL has no INSERT, UPDATE, DELETE, ALTER, DROP or other "
        "statement that changes data.");
  }
  if (is_keyword(head, "with")) {
    bool select_follows = false;
    for (std::size_t i = first + 1; i < end && !select_follows; ++i) {
      select_follows = is_clause_keyword(tokens, depths, i, depths[first], "select");
    }
    if (!select_follows) {
      throw std::invalid_argument("\"query\" starts with WITH at " + hogql_position(text, head.offset) +
                                  " but no SELECT follows it outside parentheses: write WITH name AS "
                                  "(SELECT ...) SELECT ... FROM name");
    }
  }

  read_only_hogql result;
  result.text = std::string(end < tokens.size() ? text.substr(0, tokens[end].offset) : text);
  // A LIMIT appended after one of these would be a syntax error or would bind to one part only.
  static constexpr std::array<std::string_view, 6> limit_blockers = {"limit", "offset",    "settings",
                                                                     "union", "intersect", "except"};
  result.limit_can_be_appended = first == 0;
  for (std::size_t i = 0; i < end && result.limit_can_be_appended; ++i) {
    for (const auto keyword : limit_blockers) {
      if (is_clause_keyword(tokens, depths, i, 0, keyword)) result.limit_can_be_appended = false;
    }
  }
  return result;
}

}  // namespace mcpd::tracking
