// An ECMAScript regular expression as JSON Schema uses it ("pattern", "patternProperties").
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace mcpd::schema::detail {

/// Matches anywhere in the subject (JSON Schema patterns are not implicitly anchored), one Unicode code point
/// per "." or character class, with ECMAScript's meaning of \s, \d, \w, "." and \p{...}.
///
/// Matching is RE2's: time linear in the subject's length whatever the pattern (no catastrophic
/// backtracking), constant stack depth. The price: back-references and lookarounds are refused at compile
/// time, as are repetition counts above 1000 (see ecmascript_regex.hpp).
class Pattern {
 public:
  /// Throws std::invalid_argument with a readable reason when `source` is not a usable pattern.
  explicit Pattern(std::string source);
  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;
  ~Pattern();

  bool matches(std::string_view utf8_subject) const;
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::unique_ptr<re2::RE2> compiled_;
};

}  // namespace mcpd::schema::detail
