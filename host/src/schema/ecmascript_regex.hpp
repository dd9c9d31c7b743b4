// JSON Schema patterns are ECMA-262 regular expressions (with the "u" flag's Unicode semantics). They are
// matched with RE2, whose time is linear in the subject whatever the pattern, so a hostile pattern cannot
// stall a call. This is the translation between the two dialects: what differs ("\s", ".", "\p{Letter}",
// "\u{1F600}", "[]", named groups) is rewritten, and what RE2 cannot do in linear time (back-references,
// lookahead, lookbehind) is refused with a reason.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace mcpd::schema::detail {

/// The pattern is not valid ECMA-262; what() says what is wrong, e.g. "missing ): a(b".
struct RegexSyntaxError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// The pattern is valid ECMA-262 but cannot be matched in linear time (back-references, lookarounds).
struct RegexUnsupported : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

enum class RegexUse {
  /// For "pattern": matched later. Forgiving where browsers are (an escaped "-" or "}" outside a class is
  /// that character); back-references and lookarounds throw RegexUnsupported.
  kMatch,
  /// For "format": "regex": is it ECMA-262 with the "u" flag? Strict about escapes; back-references and
  /// lookarounds are valid, so they translate to something RE2 can at least parse.
  kCheckSyntax,
};

/// An RE2 pattern (UTF-8, RE2 syntax) matching what `pattern` matches in ECMAScript. Throws
/// RegexSyntaxError or RegexUnsupported.
std::string ecmascript_to_re2(std::string_view pattern, RegexUse use);

/// Checks an RE2 pattern compiles; throws RegexSyntaxError (or RegexUnsupported for RE2's own limits, such
/// as repetition counts over 1000) otherwise.
void check_re2_compiles(const std::string& re2_pattern);

}  // namespace mcpd::schema::detail
