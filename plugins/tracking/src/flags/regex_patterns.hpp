// The patterns of the `regex` / `not_regex` flag operators, compiled with RE2.
//
// The pattern comes from PostHog and the subject from the agent, so matching must take time linear in the
// subject whatever the pattern: RE2 guarantees that, std::regex (backtracking) does not — `(a|b)*c` on 10,000
// characters took 25 s with it. Patterns are compiled once, when the flag definitions are read, not per
// evaluation. A pattern RE2 cannot take (back-references, look-around, a program over the memory budget) is
// kept with the reason, and evaluating a flag that uses it is that flag's evaluation error.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/json.hpp>

namespace re2 {
class RE2;
}

namespace mcpd::tracking {

struct compiled_regex {
  std::shared_ptr<const re2::RE2> program;  // null when the pattern was refused
  std::string error;                        // why RE2 refused the pattern
};

// Subjects longer than this are not matched: even linear matching of a huge value against a large program
// costs seconds, and property values PostHog stores are far shorter.
inline constexpr std::size_t max_regex_subject_bytes = 64 * 1024;

compiled_regex compile_regex(std::string_view pattern);

// Whether `subject` contains a match of `regex` (PostHog's operators search, they do not anchor).
bool regex_finds(const compiled_regex& regex, std::string_view subject);

class regex_patterns {
 public:
  // Compiles the pattern of every regex / not_regex property filter found anywhere inside `definitions`
  // (flags, their release conditions, cohorts and nested property groups).
  void compile_all_in(const boost::json::value& definitions);

  // The compiled pattern for `pattern`, or null when it was not among the definitions.
  const compiled_regex* find(std::string_view pattern) const;

  std::size_t size() const noexcept { return by_text_.size(); }

 private:
  std::unordered_map<std::string, compiled_regex> by_text_;
};

}  // namespace mcpd::tracking
