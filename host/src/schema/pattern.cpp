#include "schema/pattern.hpp"

#include "schema/ecmascript_regex.hpp"

#include <re2/re2.h>

#include <stdexcept>
#include <string>

namespace mcpd::schema::detail {

Pattern::Pattern(std::string source) : source_(std::move(source)) {
  try {
    const std::string translated = ecmascript_to_re2(source_, RegexUse::kMatch);
    RE2::Options options;
    options.set_log_errors(false);
    compiled_ = std::make_unique<RE2>(translated, options);
    if (!compiled_->ok()) check_re2_compiles(translated);  // throws with the reason
  } catch (const RegexSyntaxError& e) {
    throw std::invalid_argument(std::string("not a valid ECMAScript regular expression (") + e.what() + ")");
  }
}

Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;
Pattern::~Pattern() = default;

bool Pattern::matches(std::string_view utf8_subject) const {
  return RE2::PartialMatch(re2::StringPiece(utf8_subject.data(), utf8_subject.size()), *compiled_);
}

}  // namespace mcpd::schema::detail
