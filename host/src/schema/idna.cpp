#include "schema/idna.hpp"

#include "schema/utf8.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cstdint>

namespace mcpd::schema::detail {
namespace {

// ---- Unicode facts, from RE2's tables ------------------------------------------------------------------

// One code point against an RE2 character class. The classes are function-local statics: compiled once, then
// shared by all threads (RE2 matching is thread-safe).
bool in(char32_t c, const RE2& character_class) {
  const std::string text = encode_utf8(std::u32string_view(&c, 1));
  return RE2::FullMatch(text, character_class);
}

bool is_mark(char32_t c) {
  static const RE2 marks("\\pM");
  return in(c, marks);
}

bool is_non_spacing_mark(char32_t c) {
  static const RE2 marks("[\\p{Mn}\\p{Me}]");
  return in(c, marks);
}

// RFC 5892's LetterDigits, less the upper and title case letters that case folding would change.
bool is_letter_or_digit(char32_t c) {
  static const RE2 letters("[\\p{Ll}\\p{Lo}\\p{Lm}\\p{Mn}\\p{Mc}\\p{Nd}]");
  return in(c, letters);
}

bool is_greek(char32_t c) {
  static const RE2 greek("\\p{Greek}");
  return in(c, greek);
}

bool is_hebrew(char32_t c) {
  static const RE2 hebrew("\\p{Hebrew}");
  return in(c, hebrew);
}

bool is_kana_or_han(char32_t c) {
  static const RE2 kana_han("[\\p{Hiragana}\\p{Katakana}\\p{Han}]");
  return c != 0x30FB && in(c, kana_han);
}

// Letters of the scripts whose letters join (Joining_Type D, L or R): what the ZERO WIDTH NON-JOINER rule
// needs on either side of it.
bool is_joining_letter(char32_t c) {
  static const RE2 joining("[\\p{Arabic}\\p{Syriac}\\p{Nko}\\p{Mongolian}]");
  return !is_mark(c) && in(c, joining);
}

// Canonical_Combining_Class 9 (Virama), which RE2 does not know: the code points of Unicode 14.
bool is_virama(char32_t c) {
  static constexpr char32_t kViramas[] = {
      0x094D,  0x09CD,  0x0A4D,  0x0ACD,  0x0B4D,  0x0BCD,  0x0C4D,  0x0CCD,  0x0D3B,  0x0D3C,  0x0D4D,
      0x0DCA,  0x0E3A,  0x0EBA,  0x0F84,  0x1039,  0x103A,  0x1714,  0x1715,  0x1734,  0x17D2,  0x1A60,
      0x1B44,  0x1BAA,  0x1BAB,  0x1BF2,  0x1BF3,  0x2D7F,  0xA806,  0xA82C,  0xA8C4,  0xA953,  0xA9C0,
      0xAAF6,  0xABED,  0x10A3F, 0x11046, 0x11070, 0x1107F, 0x110B9, 0x11133, 0x11134, 0x111C0, 0x11235,
      0x112EA, 0x1134D, 0x11442, 0x114C2, 0x115BF, 0x1163F, 0x116B6, 0x1172B, 0x11839, 0x1193D, 0x1193E,
      0x119E0, 0x11A34, 0x11A47, 0x11A99, 0x11C3F, 0x11D44, 0x11D45, 0x11D97,
  };
  return std::find(std::begin(kViramas), std::end(kViramas), c) != std::end(kViramas);
}

// ---- RFC 5892 -----------------------------------------------------------------------------------------

enum class Derived { kPvalid, kContextJ, kContextO, kDisallowed };

Derived derived_property(char32_t c) {
  switch (c) {  // section 2.6, Exceptions
    case 0x00DF:
    case 0x03C2:
    case 0x06FD:
    case 0x06FE:
    case 0x0F0B:
    case 0x3007:
      return Derived::kPvalid;
    case 0x00B7:
    case 0x0375:
    case 0x05F3:
    case 0x05F4:
    case 0x30FB:
      return Derived::kContextO;
    case 0x0640:
    case 0x07FA:
    case 0x302E:
    case 0x302F:
    case 0x3031:
    case 0x3032:
    case 0x3033:
    case 0x3034:
    case 0x3035:
    case 0x303B:
      return Derived::kDisallowed;
    case 0x200C:
    case 0x200D:
      return Derived::kContextJ;
    default:
      break;
  }
  if ((c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9)) return Derived::kContextO;
  if (c < 0x80) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ? Derived::kPvalid
                                                                        : Derived::kDisallowed;
  }
  return is_letter_or_digit(c) ? Derived::kPvalid : Derived::kDisallowed;
}

// Appendix A: where a CONTEXTJ or CONTEXTO code point may stand.
bool context_allows(std::u32string_view label, std::size_t at) {
  const char32_t c = label[at];
  const char32_t before = at > 0 ? label[at - 1] : 0;
  const char32_t after = at + 1 < label.size() ? label[at + 1] : 0;
  switch (c) {
    case 0x200D:  // ZERO WIDTH JOINER
      return is_virama(before);
    case 0x200C: {  // ZERO WIDTH NON-JOINER: after a virama, or between joining letters
      if (is_virama(before)) return true;
      std::size_t left = at;
      while (left > 0 && is_non_spacing_mark(label[left - 1])) --left;
      std::size_t right = at + 1;
      while (right < label.size() && is_non_spacing_mark(label[right])) ++right;
      return left > 0 && right < label.size() && is_joining_letter(label[left - 1]) &&
             is_joining_letter(label[right]);
    }
    case 0x00B7:  // MIDDLE DOT, only in "l·l" (Catalan)
      return before == 'l' && after == 'l';
    case 0x0375:  // GREEK LOWER NUMERAL SIGN (KERAIA)
      return after != 0 && is_greek(after);
    case 0x05F3:  // HEBREW PUNCTUATION GERESH
    case 0x05F4:  // HEBREW PUNCTUATION GERSHAYIM
      return before != 0 && is_hebrew(before);
    case 0x30FB:  // KATAKANA MIDDLE DOT
      return std::any_of(label.begin(), label.end(), is_kana_or_han);
    default:
      break;
  }
  // ARABIC-INDIC DIGITS and EXTENDED ARABIC-INDIC DIGITS: never both in one label.
  const bool arabic_indic = c >= 0x0660 && c <= 0x0669;
  return std::none_of(label.begin(), label.end(), [&](char32_t other) {
    return arabic_indic ? other >= 0x06F0 && other <= 0x06F9 : other >= 0x0660 && other <= 0x0669;
  });
}

// ---- RFC 5893 -----------------------------------------------------------------------------------------

enum class Bidi { kL, kR, kAL, kAN, kEN, kES, kCS, kET, kON, kBN, kNSM };

Bidi bidi_class(char32_t c) {
  if (c < 0x80) {
    if (c >= '0' && c <= '9') return Bidi::kEN;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return Bidi::kL;
    if (c == '+' || c == '-') return Bidi::kES;
    if (c == ',' || c == '.' || c == '/' || c == ':') return Bidi::kCS;
    if (c == '#' || c == '$' || c == '%') return Bidi::kET;
    return Bidi::kON;
  }
  if ((c >= 0x0600 && c <= 0x0605) || (c >= 0x0660 && c <= 0x0669) || c == 0x066B || c == 0x066C ||
      c == 0x06DD || c == 0x08E2) {
    return Bidi::kAN;
  }
  if ((c >= 0x06F0 && c <= 0x06F9) || c == 0x00B2 || c == 0x00B3 || c == 0x00B9) return Bidi::kEN;
  if (c == 0x200C || c == 0x200D) return Bidi::kBN;
  if (is_non_spacing_mark(c)) return Bidi::kNSM;
  static const RE2 right_to_left("[\\p{Hebrew}\\p{Nko}\\p{Samaritan}]");
  static const RE2 arabic_letters("[\\p{Arabic}\\p{Syriac}\\p{Thaana}]");
  if (in(c, right_to_left)) return Bidi::kR;
  if (in(c, arabic_letters)) return Bidi::kAL;
  static const RE2 strong("[\\pL\\p{Mc}\\pN]");
  return in(c, strong) ? Bidi::kL : Bidi::kON;
}

bool is_right_to_left(Bidi b) {
  return b == Bidi::kR || b == Bidi::kAL || b == Bidi::kAN;
}

bool label_satisfies_bidi_rule(const std::u32string& label) {
  if (label.empty()) return true;
  std::vector<Bidi> classes;
  for (const char32_t c : label) classes.push_back(bidi_class(c));
  const Bidi first = classes.front();
  if (first != Bidi::kL && first != Bidi::kR && first != Bidi::kAL) return false;  // rule 1
  auto last_strong = [&] {
    auto it = std::find_if(classes.rbegin(), classes.rend(), [](Bidi b) { return b != Bidi::kNSM; });
    return it == classes.rend() ? Bidi::kNSM : *it;
  };
  auto only = [&](std::initializer_list<Bidi> allowed) {
    return std::all_of(classes.begin(), classes.end(),
                       [&](Bidi b) { return std::find(allowed.begin(), allowed.end(), b) != allowed.end(); });
  };
  using B = Bidi;
  if (first == Bidi::kL) {  // rules 5 and 6
    const Bidi end = last_strong();
    return only({B::kL, B::kEN, B::kES, B::kCS, B::kET, B::kON, B::kBN, B::kNSM}) &&
           (end == Bidi::kL || end == Bidi::kEN);
  }
  // Rules 2 to 4, for a right-to-left label.
  const Bidi end = last_strong();
  const bool has_en = std::find(classes.begin(), classes.end(), Bidi::kEN) != classes.end();
  const bool has_an = std::find(classes.begin(), classes.end(), Bidi::kAN) != classes.end();
  return only({B::kR, B::kAL, B::kAN, B::kEN, B::kES, B::kCS, B::kET, B::kON, B::kBN, B::kNSM}) &&
         (end == Bidi::kR || end == Bidi::kAL || end == Bidi::kEN || end == Bidi::kAN) && !(has_en && has_an);
}

// ---- RFC 3492 -----------------------------------------------------------------------------------------

constexpr std::uint64_t kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700;
constexpr std::uint64_t kInitialBias = 72, kInitialN = 128, kMaxCodePoint = 0x10FFFF;

std::uint64_t adapt(std::uint64_t delta, std::uint64_t points, bool first) {
  delta = first ? delta / kDamp : delta / 2;
  delta += delta / points;
  std::uint64_t k = 0;
  while (delta > ((kBase - kTMin) * kTMax) / 2) {
    delta /= kBase - kTMin;
    k += kBase;
  }
  return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
}

std::uint64_t threshold(std::uint64_t k, std::uint64_t bias) {
  return k <= bias ? kTMin : k >= bias + kTMax ? kTMax : k - bias;
}

std::optional<std::uint64_t> digit_value(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= '0' && c <= '9') return c - '0' + 26;
  return std::nullopt;
}

char digit_char(std::uint64_t d) {
  return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26));
}

}  // namespace

std::optional<std::u32string> punycode_decode(std::string_view encoded) {
  std::u32string output;
  std::size_t pos = 0;
  if (const std::size_t dash = encoded.rfind('-'); dash != std::string_view::npos) {
    for (std::size_t i = 0; i < dash; ++i) {
      if (static_cast<unsigned char>(encoded[i]) >= 0x80) return std::nullopt;
      output.push_back(static_cast<char32_t>(encoded[i]));
    }
    pos = dash + 1;
  }
  std::uint64_t n = kInitialN, i = 0, bias = kInitialBias;
  while (pos < encoded.size()) {
    const std::uint64_t old_i = i;
    std::uint64_t weight = 1;
    for (std::uint64_t k = kBase;; k += kBase) {
      if (pos >= encoded.size()) return std::nullopt;
      const auto digit = digit_value(encoded[pos++]);
      if (!digit) return std::nullopt;
      i += *digit * weight;
      if (i > kMaxCodePoint * (output.size() + 2)) return std::nullopt;  // far past anything decodable
      const std::uint64_t t = threshold(k, bias);
      if (*digit < t) break;
      weight *= kBase - t;
    }
    const std::uint64_t points = output.size() + 1;
    bias = adapt(i - old_i, points, old_i == 0);
    n += i / points;
    i %= points;
    if (n > kMaxCodePoint || (n >= 0xD800 && n <= 0xDFFF)) return std::nullopt;
    output.insert(output.begin() + static_cast<std::ptrdiff_t>(i), static_cast<char32_t>(n));
    ++i;
  }
  return output;
}

std::optional<std::string> punycode_encode(std::u32string_view label) {
  std::string output;
  for (const char32_t c : label) {
    if (c < 0x80) output += static_cast<char>(c);
  }
  const std::size_t basic = output.size();
  std::size_t handled = basic;
  if (basic > 0) output += '-';
  std::uint64_t n = kInitialN, delta = 0, bias = kInitialBias;
  while (handled < label.size()) {
    std::uint64_t m = kMaxCodePoint + 1;
    for (const char32_t c : label) {
      if (c >= n && c < m) m = c;
    }
    delta += (m - n) * (handled + 1);
    n = m;
    for (const char32_t c : label) {
      if (c < n) ++delta;
      if (c != n) continue;
      std::uint64_t q = delta;
      for (std::uint64_t k = kBase;; k += kBase) {
        const std::uint64_t t = threshold(k, bias);
        if (q < t) break;
        output += digit_char(t + (q - t) % (kBase - t));
        q = (q - t) / (kBase - t);
      }
      output += digit_char(q);
      bias = adapt(delta, handled + 1, handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
    if (delta > (std::uint64_t{1} << 40)) return std::nullopt;
  }
  return output;
}

bool is_valid_u_label(std::u32string_view label) {
  if (label.empty() || label.front() == '-' || label.back() == '-') return false;
  if (label.size() >= 4 && label[2] == '-' && label[3] == '-') return false;
  if (is_mark(label.front())) return false;
  for (std::size_t i = 0; i < label.size(); ++i) {
    switch (derived_property(label[i])) {
      case Derived::kPvalid:
        break;
      case Derived::kContextJ:
      case Derived::kContextO:
        if (!context_allows(label, i)) return false;
        break;
      case Derived::kDisallowed:
        return false;
    }
  }
  return true;
}

bool satisfies_bidi_rule(const std::vector<std::u32string>& labels) {
  const bool bidi_domain = std::any_of(labels.begin(), labels.end(), [](const std::u32string& label) {
    return std::any_of(label.begin(), label.end(),
                       [](char32_t c) { return is_right_to_left(bidi_class(c)); });
  });
  return !bidi_domain || std::all_of(labels.begin(), labels.end(), label_satisfies_bidi_rule);
}

}  // namespace mcpd::schema::detail
