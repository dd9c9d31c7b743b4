#include "schema/pattern.hpp"

#include "schema/utf8.hpp"

#include <stdexcept>

namespace mcpd::schema::detail {
namespace {

// A libstdc++ extension (see the class comment); required for bounded stack use on long subjects.
constexpr auto kRegexFlags = std::regex_constants::ECMAScript | std::regex_constants::__polynomial;

std::wregex compile_or_explain(const std::wstring& expression) {
  try {
    return std::wregex(expression, kRegexFlags);
  } catch (const std::regex_error& e) {
    try {
      std::wregex backtracking(expression, std::regex_constants::ECMAScript);
    } catch (const std::regex_error&) {
      throw std::invalid_argument(std::string("not a valid ECMAScript regular expression (") + e.what() + ")");
    }
    throw std::invalid_argument("not supported: back-references such as \\1 cannot be matched in linear time");
  }
}

}  // namespace

Pattern::Pattern(std::string source) : source_(std::move(source)) {
  const std::wstring pattern = utf8_to_wide(source_);
  // Compiling the bare pattern first rejects sources that only become valid inside the wrapper, e.g. "a)(b".
  compile_or_explain(pattern);
  wrapped_ = compile_or_explain(L"[\\s\\S]*(?:" + pattern + L")[\\s\\S]*");
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
