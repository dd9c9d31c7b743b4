// The significant tokens of a HogQL text, for checks that must not be fooled by comments or literals.
// Comments (--, // and /* */) are dropped; string literals ('...', and f'...' templates) and quoted
// identifiers (`...`, "...") become one opaque token each, read the way PostHog's HogQL lexer reads them
// (a backslash escapes the next character, a doubled quote stands for itself). Everything else is a word
// (letters, digits, _ and $) or a single-character symbol. Not a parser: it only knows where tokens are.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::tracking {

struct hogql_token {
  enum class kind { word, symbol, literal };
  kind type = kind::symbol;
  std::string_view text;  // a view into the scanned text
  std::size_t offset = 0;
};

// A literal, quoted identifier or block comment that runs to the end of the text. what() names it;
// offset() is where it starts.
class hogql_unterminated : public std::invalid_argument {
 public:
  hogql_unterminated(std::string what, std::string closing, std::size_t offset)
      : std::invalid_argument(std::move(what)), closing_(std::move(closing)), offset_(offset) {}
  const std::string& closing() const noexcept { return closing_; }  // what would close it, e.g. "*/"
  std::size_t offset() const noexcept { return offset_; }

 private:
  std::string closing_;
  std::size_t offset_;
};

// The tokens of `text`, in order. Throws hogql_unterminated.
std::vector<hogql_token> hogql_tokens(std::string_view text);

// "line L, column C" of a byte offset in `text`, both from 1, columns counted in characters (UTF-8).
std::string hogql_position(std::string_view text, std::size_t offset);

// True when `token` is the word `keyword`, ignoring case (HogQL keywords are case-insensitive).
bool is_keyword(const hogql_token& token, std::string_view keyword);

}  // namespace mcpd::tracking
