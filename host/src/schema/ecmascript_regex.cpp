#include "schema/ecmascript_regex.hpp"

#include <re2/re2.h>

#include <cstdint>
#include <optional>
#include <unordered_map>

namespace mcpd::schema::detail {
namespace {

// ECMAScript's \s: its WhiteSpace and LineTerminator code points, as the body of an RE2 class.
constexpr std::string_view kWhiteSpace =
    "\\t\\n\\x{B}\\f\\r "
    "\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";
// What "." does not match: the line terminators.
constexpr std::string_view kDot = "[^\\n\\r\\x{2028}\\x{2029}]";
constexpr std::string_view kAnything = "\\x{0}-\\x{10FFFF}";

std::string hex(std::uint32_t code_point) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string digits;
  do {
    digits.insert(digits.begin(), kDigits[code_point % 16]);
    code_point /= 16;
  } while (code_point != 0);
  return "\\x{" + digits + "}";
}

bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::uint32_t hex_value(std::string_view digits) {
  std::uint32_t value = 0;
  for (const char c : digits) {
    value = value * 16 + static_cast<std::uint32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return value;
}

bool is_syntax_character(char c) {
  return std::string_view("^$\\.*+?()[]{}|/").find(c) != std::string_view::npos;
}

// General_Category values by every name ECMAScript accepts for them, as RE2's one- or two-letter names
// (several of them for LC, which RE2 lacks). "digit" is not ECMAScript's, but a common alias of Nd.
const std::unordered_map<std::string_view, std::string_view>& general_categories() {
  static const std::unordered_map<std::string_view, std::string_view> names = {
      {"L", "L"},
      {"Letter", "L"},
      {"LC", "Lu Ll Lt"},
      {"Cased_Letter", "Lu Ll Lt"},
      {"Lu", "Lu"},
      {"Uppercase_Letter", "Lu"},
      {"Ll", "Ll"},
      {"Lowercase_Letter", "Ll"},
      {"Lt", "Lt"},
      {"Titlecase_Letter", "Lt"},
      {"Lm", "Lm"},
      {"Modifier_Letter", "Lm"},
      {"Lo", "Lo"},
      {"Other_Letter", "Lo"},
      {"M", "M"},
      {"Mark", "M"},
      {"Combining_Mark", "M"},
      {"Mn", "Mn"},
      {"Nonspacing_Mark", "Mn"},
      {"Mc", "Mc"},
      {"Spacing_Mark", "Mc"},
      {"Me", "Me"},
      {"Enclosing_Mark", "Me"},
      {"N", "N"},
      {"Number", "N"},
      {"Nd", "Nd"},
      {"Decimal_Number", "Nd"},
      {"digit", "Nd"},
      {"Nl", "Nl"},
      {"Letter_Number", "Nl"},
      {"No", "No"},
      {"Other_Number", "No"},
      {"P", "P"},
      {"Punctuation", "P"},
      {"punct", "P"},
      {"Pc", "Pc"},
      {"Connector_Punctuation", "Pc"},
      {"Pd", "Pd"},
      {"Dash_Punctuation", "Pd"},
      {"Ps", "Ps"},
      {"Open_Punctuation", "Ps"},
      {"Pe", "Pe"},
      {"Close_Punctuation", "Pe"},
      {"Pi", "Pi"},
      {"Initial_Punctuation", "Pi"},
      {"Pf", "Pf"},
      {"Final_Punctuation", "Pf"},
      {"Po", "Po"},
      {"Other_Punctuation", "Po"},
      {"S", "S"},
      {"Symbol", "S"},
      {"Sm", "Sm"},
      {"Math_Symbol", "Sm"},
      {"Sc", "Sc"},
      {"Currency_Symbol", "Sc"},
      {"Sk", "Sk"},
      {"Modifier_Symbol", "Sk"},
      {"So", "So"},
      {"Other_Symbol", "So"},
      {"Z", "Z"},
      {"Separator", "Z"},
      {"Zs", "Zs"},
      {"Space_Separator", "Zs"},
      {"Zl", "Zl"},
      {"Line_Separator", "Zl"},
      {"Zp", "Zp"},
      {"Paragraph_Separator", "Zp"},
      {"C", "C"},
      {"Other", "C"},
      {"Cc", "Cc"},
      {"Control", "Cc"},
      {"cntrl", "Cc"},
      {"Cf", "Cf"},
      {"Format", "Cf"},
      {"Cs", "Cs"},
      {"Surrogate", "Cs"},
      {"Co", "Co"},
      {"Private_Use", "Co"},
  };
  return names;
}

class Translator {
 public:
  Translator(std::string_view pattern, RegexUse use) : in_(pattern), use_(use) {}

  std::string run() {
    while (pos_ < in_.size()) {
      const char c = in_[pos_++];
      switch (c) {
        case '\\':
          out_ += escape(/*in_class=*/false);
          break;
        case '.':
          out_ += kDot;
          break;
        case '[':
          character_class();
          break;
        case '(':
          group();
          break;
        case '{':
          brace();
          break;
        case '}':
        case ']':
          if (strict()) syntax_error(std::string("a lone \"") + c + "\" must be escaped");
          out_ += '\\';
          out_ += c;
          break;
        default:
          out_ += c;  // ^ $ | ) * + ? and literal characters (UTF-8 passes through unchanged)
      }
    }
    return std::move(out_);
  }

 private:
  bool strict() const { return use_ == RegexUse::kCheckSyntax; }

  [[noreturn]] void syntax_error(const std::string& why) const { throw RegexSyntaxError(why); }

  void unsupported(const std::string& why, std::string_view placeholder) {
    if (use_ == RegexUse::kMatch) throw RegexUnsupported(why);
    out_ += placeholder;  // valid ECMAScript: checking its syntax goes on
  }

  void group() {
    if (!in_.substr(pos_).starts_with("?")) {
      out_ += '(';
      return;
    }
    const std::string_view rest = in_.substr(pos_ + 1);
    if (rest.starts_with(":")) {
      out_ += "(?:";
      pos_ += 2;
    } else if (rest.starts_with("=") || rest.starts_with("!") || rest.starts_with("<=") ||
               rest.starts_with("<!")) {
      pos_ += rest.starts_with("<") ? 3 : 2;
      unsupported(
          "not supported: lookahead and lookbehind ((?=, (?!, (?<=, (?<!) cannot be matched in "
          "linear time",
          "(?:");
    } else if (rest.starts_with("<")) {
      const std::size_t end = rest.find('>');
      if (end == std::string_view::npos || end == 1) syntax_error("a group name must be closed by \">\"");
      out_ += "(?P" + std::string(rest.substr(0, end + 1));  // RE2 spells named groups (?P<name>...)
      pos_ += end + 2;
    } else {
      syntax_error("\"(?" + std::string(rest.substr(0, 1)) +
                   "\" is not ECMAScript group syntax (only (?:, (?<name>, (?=, (?!, (?<= and (?<!)");
    }
  }

  // "{" opens a quantifier only as {n}, {n,} or {n,m}; elsewhere it is a literal (without the u flag).
  void brace() {
    std::size_t end = pos_;
    auto digits = [&] {
      const std::size_t start = end;
      while (end < in_.size() && in_[end] >= '0' && in_[end] <= '9') ++end;
      return in_.substr(start, end - start);
    };
    const std::string_view low = digits();
    std::string_view high = low;
    bool comma = false;
    if (!low.empty() && end < in_.size() && in_[end] == ',') {
      comma = true;
      ++end;
      high = digits();
    }
    if (low.empty() || end >= in_.size() || in_[end] != '}') {
      if (strict()) syntax_error("a lone \"{\" must be escaped");
      out_ += "\\{";
      return;
    }
    // RE2 refuses counts over 1000; say so plainly rather than with its "bad repetition operator".
    for (const std::string_view count : {low, high}) {
      if (count.size() > 4 || (count.size() == 4 && count > "1000")) {
        throw RegexUnsupported("not supported: a repetition count above 1000 ({" + std::string(low) +
                               (comma ? "," + std::string(high) : "") + "})");
      }
    }
    out_ += in_.substr(pos_ - 1, end - pos_ + 2);
    pos_ = end + 1;
  }

  void character_class() {
    bool negated = false;
    if (pos_ < in_.size() && in_[pos_] == '^') {
      negated = true;
      ++pos_;
    }
    if (pos_ < in_.size() && in_[pos_] == ']') {  // [] matches nothing, [^] any character
      ++pos_;
      out_ += negated ? "[" + std::string(kAnything) + "]" : "[^" + std::string(kAnything) + "]";
      return;
    }
    out_ += negated ? "[^" : "[";
    while (pos_ < in_.size() && in_[pos_] != ']') {
      const char c = in_[pos_++];
      if (c == '\\') {
        out_ += escape(/*in_class=*/true);
      } else if (c == '[') {
        out_ += "\\[";  // literal in ECMAScript; RE2 would read "[:alpha:]" as a POSIX class
      } else {
        out_ += c;
      }
    }
    if (pos_ >= in_.size()) syntax_error("a character class \"[\" is not closed by \"]\"");
    ++pos_;
    out_ += ']';
  }

  // After a backslash: what RE2 needs for the same meaning.
  std::string escape(bool in_class) {
    if (pos_ >= in_.size()) syntax_error("the pattern ends with a lone backslash");
    const char c = in_[pos_++];
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 'n':
      case 'r':
      case 't':
      case 'f':
      case 'v':
        return std::string("\\") + c;  // same meaning in both (\d and \w are ASCII in both)
      case 'b':
        return in_class ? "\\x{8}" : "\\b";  // backspace inside a class, a word boundary outside
      case 'B':
        if (in_class) syntax_error("\\B is not allowed in a character class");
        return "\\B";
      case 's':
        return in_class ? std::string(kWhiteSpace) : "[" + std::string(kWhiteSpace) + "]";
      case 'S':
        // Inside a class the complement cannot be spelt out; RE2's \S differs only for \v and the Unicode
        // spaces.
        return in_class ? "\\S" : "[^" + std::string(kWhiteSpace) + "]";
      case '0':
        if (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9')
          syntax_error("\\0 followed by a digit (an octal escape) is not allowed");
        return "\\x{0}";
      case 'c':
        if (pos_ < in_.size() && ((in_[pos_] | 0x20) >= 'a' && (in_[pos_] | 0x20) <= 'z'))
          return hex(static_cast<std::uint32_t>(in_[pos_++]) % 32);
        syntax_error("\\c must be followed by a letter");
      case 'x':
        if (pos_ + 1 < in_.size() && is_hex_digit(in_[pos_]) && is_hex_digit(in_[pos_ + 1])) {
          pos_ += 2;
          return hex(hex_value(in_.substr(pos_ - 2, 2)));
        }
        syntax_error("\\x must be followed by two hexadecimal digits");
      case 'u':
        return unicode_escape();
      case 'p':
      case 'P':
        return property(c == 'P', in_class);
      case 'k':
        unsupported("not supported: back-references such as \\k<name> cannot be matched in linear time", "");
        skip_group_name();
        return "";
      case '-':
        if (!in_class && strict()) syntax_error("\\- is only allowed in a character class");
        return "\\-";
      default:
        break;
    }
    if (c >= '1' && c <= '9') {
      if (in_class) syntax_error("a back-reference cannot appear in a character class");
      while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') ++pos_;
      unsupported("not supported: back-references such as \\1 cannot be matched in linear time", "");
      return "";
    }
    if (is_syntax_character(c)) return std::string("\\") + c;
    const bool ascii = static_cast<unsigned char>(c) < 0x80;
    if (ascii && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
      syntax_error(std::string("\\") + c + " is not an ECMAScript escape");
    }
    if (strict()) syntax_error(std::string("\\") + c + " is not an ECMAScript escape (with the u flag)");
    // An identity escape of other punctuation, or of a non-ASCII character: that character itself.
    if (ascii) return std::string("\\") + c;
    return std::string(1, c);  // the first byte; the rest of the UTF-8 sequence follows as literals
  }

  void skip_group_name() {
    if (pos_ < in_.size() && in_[pos_] == '<') {
      const std::size_t end = in_.find('>', pos_);
      if (end == std::string_view::npos) syntax_error("\\k<name> is not closed by \">\"");
      pos_ = end + 1;
    } else {
      syntax_error("\\k must be followed by <name>");
    }
  }

  std::optional<std::uint32_t> code_unit() {
    if (pos_ + 4 > in_.size()) return std::nullopt;
    for (std::size_t i = 0; i < 4; ++i) {
      if (!is_hex_digit(in_[pos_ + i])) return std::nullopt;
    }
    pos_ += 4;
    return hex_value(in_.substr(pos_ - 4, 4));
  }

  // \uHHHH (a UTF-16 unit; a surrogate pair written as two escapes is one code point) or \u{H...}.
  std::string unicode_escape() {
    if (pos_ < in_.size() && in_[pos_] == '{') {
      const std::size_t end = in_.find('}', pos_);
      const std::string_view digits =
          end == std::string_view::npos ? std::string_view{} : in_.substr(pos_ + 1, end - pos_ - 1);
      if (digits.empty() || digits.size() > 6 ||
          digits.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos ||
          hex_value(digits) > 0x10FFFF) {
        syntax_error("\\u{...} must hold a code point of at most 10FFFF");
      }
      pos_ = end + 1;
      return hex(hex_value(digits));
    }
    const auto unit = code_unit();
    if (!unit) syntax_error("\\u must be followed by four hexadecimal digits or {code point}");
    if (*unit >= 0xD800 && *unit <= 0xDBFF && in_.substr(pos_).starts_with("\\u")) {
      const std::size_t before = pos_;
      pos_ += 2;
      if (const auto low = code_unit(); low && *low >= 0xDC00 && *low <= 0xDFFF) {
        return hex(0x10000 + ((*unit - 0xD800) << 10) + (*low - 0xDC00));
      }
      pos_ = before;
    }
    if (*unit >= 0xD800 && *unit <= 0xDFFF) {
      return "[^" + std::string(kAnything) + "]";  // a lone surrogate: no UTF-8 text contains one
    }
    return hex(*unit);
  }

  // \p{Name}, \p{General_Category=Name}, \p{Script=Name} and the negated \P{...}.
  std::string property(bool negated, bool in_class) {
    const std::size_t end = in_.find('}', pos_);
    if (pos_ >= in_.size() || in_[pos_] != '{' || end == std::string_view::npos) {
      syntax_error("\\p and \\P must be followed by {property}");
    }
    const std::string_view body = in_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    const std::size_t equals = body.find('=');
    const std::string_view key =
        equals == std::string_view::npos ? std::string_view{} : body.substr(0, equals);
    const std::string_view value = equals == std::string_view::npos ? body : body.substr(equals + 1);
    std::string_view categories;
    if (key.empty() || key == "General_Category" || key == "gc") {
      if (const auto found = general_categories().find(value); found != general_categories().end()) {
        categories = found->second;
      } else if (key.empty() && value == "Any") {
        return in_class ? (negated ? "" : std::string(kAnything))
                        : (negated ? "[^" : "[") + std::string(kAnything) + "]";
      } else if (key.empty() && value == "ASCII") {
        const std::string ascii = "\\x{0}-\\x{7F}";
        if (in_class && negated) return "\\x{80}-\\x{10FFFF}";
        return in_class ? ascii : (negated ? "[^" : "[") + ascii + "]";
      } else if (!key.empty()) {
        syntax_error("\\p{" + std::string(body) + "} names no General_Category value");
      } else {
        categories = value;  // RE2 knows script names (Greek, Latin, Han, ...); anything else fails there
      }
    } else if (key == "Script" || key == "sc" || key == "Script_Extensions" || key == "scx") {
      categories = value;
    } else {
      syntax_error("\\p{" + std::string(body) +
                   "}: only General_Category and Script properties are supported");
    }
    std::string parts;
    std::size_t count = 0;
    for (std::size_t start = 0; start < categories.size();) {
      const std::size_t space = categories.find(' ', start);
      const std::string_view name =
          categories.substr(start, space == std::string_view::npos ? space : space - start);
      parts += (negated ? "\\P{" : "\\p{") + std::string(name) + "}";
      ++count;
      start = space == std::string_view::npos ? categories.size() : space + 1;
    }
    if (count == 1) return parts;
    // Several categories (Cased_Letter): a union inside a class, whose negation cannot be written there.
    if (negated) {
      if (in_class)
        throw RegexUnsupported("not supported: \\P{" + std::string(body) + "} inside a character class");
      std::string positive = parts;
      for (std::size_t at = positive.find("\\P{"); at != std::string::npos; at = positive.find("\\P{", at))
        positive[at + 1] = 'p';
      return "[^" + positive + "]";
    }
    return in_class ? parts : "[" + parts + "]";
  }

  std::string_view in_;
  RegexUse use_;
  std::size_t pos_ = 0;
  std::string out_;
};

}  // namespace

std::string ecmascript_to_re2(std::string_view pattern, RegexUse use) {
  return Translator(pattern, use).run();
}

void check_re2_compiles(const std::string& re2_pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  const RE2 compiled(re2_pattern, options);
  if (compiled.ok()) return;
  if (compiled.error_code() == RE2::ErrorPatternTooLarge || compiled.error_code() == RE2::ErrorRepeatSize) {
    throw RegexUnsupported("too large to match in bounded memory (" + compiled.error() + ")");
  }
  throw RegexSyntaxError(compiled.error());
}

}  // namespace mcpd::schema::detail
