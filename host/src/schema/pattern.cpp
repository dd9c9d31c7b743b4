#include "schema/pattern.hpp"

#include "schema/utf8.hpp"

#include <stdexcept>
#include <string>

namespace mcpd::schema::detail {
namespace {

// A libstdc++ extension (see the class comment); required for bounded stack use on long subjects.
constexpr auto kRegexFlags = std::regex_constants::ECMAScript | std::regex_constants::__polynomial;

// libstdc++ reads the numbers of "{n,m}" and "\\n" into a long without checking for overflow (undefined
// behaviour, found by the schema fuzzer with "{5555555555555555555}"), so longer ones are refused first.
constexpr std::size_t kMaxPatternNumberDigits = 6;

void refuse_huge_numbers(const std::wstring& expression) {
  const auto digits_at = [&](std::size_t at) {
    std::size_t n = 0;
    while (at + n < expression.size() && expression[at + n] >= L'0' && expression[at + n] <= L'9') ++n;
    return n;
  };
  const auto refuse = [] {
    throw std::invalid_argument("not supported: a repetition count or back-reference number of more than " +
                                std::to_string(kMaxPatternNumberDigits) + " digits");
  };
  for (std::size_t i = 0; i < expression.size(); ++i) {
    if (expression[i] == L'\\') {
      if (digits_at(i + 1) > kMaxPatternNumberDigits) refuse();
      ++i;  // an escaped character starts nothing
    } else if (expression[i] == L'{') {
      const std::size_t low = digits_at(i + 1);
      if (low > kMaxPatternNumberDigits) refuse();
      if (i + 1 + low < expression.size() && expression[i + 1 + low] == L',' &&
          digits_at(i + 2 + low) > kMaxPatternNumberDigits)
        refuse();
    }
  }
}

std::wregex compile_or_explain(const std::wstring& expression) {
  refuse_huge_numbers(expression);
  try {
    return std::wregex(expression, kRegexFlags);
  } catch (const std::regex_error& e) {
    try {
      std::wregex backtracking(expression, std::regex_constants::ECMAScript);
    } catch (const std::regex_error&) {
      throw std::invalid_argument(std::string("not a valid ECMAScript regular expression (") + e.what() +
                                  ")");
    }
    throw std::invalid_argument(
        "not supported: back-references such as \\1 cannot be matched in linear time");
  }
}

struct Anchors {
  bool start = false;  // begins with "^"
  bool end = false;    // ends with an unescaped "$"
};

// Which ends the pattern pins down. A top-level "|" (e.g. "^a|b$") anchors only one alternative each, so it
// counts as unanchored. The scan skips escapes and character classes, where "|" and "$" are literal.
Anchors anchors_of(std::wstring_view pattern) {
  int depth = 0;
  bool in_class = false;
  bool last_was_unescaped_dollar = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const wchar_t c = pattern[i];
    last_was_unescaped_dollar = false;
    if (c == L'\\') {
      ++i;
    } else if (in_class) {
      in_class = c != L']';
    } else if (c == L'[') {
      in_class = true;
    } else if (c == L'(') {
      ++depth;
    } else if (c == L')') {
      --depth;
    } else if (c == L'|' && depth == 0) {
      return {};
    } else if (c == L'$') {
      last_was_unescaped_dollar = true;
    }
  }
  return {pattern.starts_with(L'^'), last_was_unescaped_dollar};
}

}  // namespace

Pattern::Pattern(std::string source) : source_(std::move(source)) {
  const std::wstring pattern = utf8_to_wide(source_);
  // Compiling the bare pattern first rejects sources that only become valid inside the wrapper, e.g. "a)(b".
  std::wregex bare = compile_or_explain(pattern);
  // The wrapper lets a match start and end anywhere; ends the pattern anchors itself need no wrapper part,
  // and the engine runs several times faster without one.
  const Anchors anchors = anchors_of(pattern);
  if (anchors.start && anchors.end) {
    wrapped_ = std::move(bare);
  } else {
    wrapped_ = compile_or_explain((anchors.start ? L"(?:" : L"[\\s\\S]*(?:") + pattern +
                                  (anchors.end ? L")" : L")[\\s\\S]*"));
  }
}

bool Pattern::matches(std::string_view utf8_subject) const {
  const std::wstring subject = utf8_to_wide(utf8_subject);
  try {
    return std::regex_match(subject, wrapped_);
  } catch (const std::regex_error&) {
    // The polynomial engine has no complexity limit to hit; treat any library refusal as "no match".
    return false;
  }
}

}  // namespace mcpd::schema::detail
