// An ECMAScript regular expression as JSON Schema uses it ("pattern", "patternProperties").
#pragma once

#include <regex>
#include <string>
#include <string_view>

namespace mcpd::schema::detail {

/// Matches anywhere in the subject (JSON Schema patterns are not implicitly anchored), one Unicode code point
/// per "." or character class, in time linear in the subject's length and with constant stack depth.
///
/// libstdc++'s default (backtracking) std::regex recurses once per subject character and overflows the stack
/// on strings of a few thousand characters, and it can take exponential time; its unanchored regex_search is
/// also quadratic. So the pattern is compiled in the library's polynomial (Thompson NFA) mode and matched in
/// a single anchored pass, wrapped as `[\s\S]*(?:P)[\s\S]*` where P does not anchor itself with ^ / $. The
/// price: back-references are refused at compile time.
class Pattern {
 public:
  /// Throws std::invalid_argument with a readable reason when `source` is not a usable pattern.
  explicit Pattern(std::string source);

  bool matches(std::string_view utf8_subject) const;
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::wregex wrapped_;
};

}  // namespace mcpd::schema::detail
