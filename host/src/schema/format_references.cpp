// uri, uri-reference, iri, iri-reference, uri-template, uuid, json-pointer, relative-json-pointer, regex.
#include "schema/format_checks.hpp"

#include "schema/ecmascript_regex.hpp"

#include <algorithm>
#include <cstddef>
#include <string>

namespace mcpd::schema::detail {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_unreserved(char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
bool is_sub_delim(char c) {
  return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos;
}

// RFC 3986's character rules, with RFC 3987's additions when `iri` (ucschar: any non-ASCII character, which
// valid UTF-8 input always is).
class UriGrammar {
 public:
  explicit UriGrammar(bool iri) : iri_(iri) {}

  // Every character of `s` is unreserved, sub-delims, pct-encoded or one of `extra`.
  bool consists_of(std::string_view s, std::string_view extra) const {
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '%') {
        if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
        i += 2;
      } else if (!is_unreserved(c) && !is_sub_delim(c) && extra.find(c) == std::string_view::npos &&
                 !(iri_ && static_cast<unsigned char>(c) >= 0x80)) {
        return false;
      }
    }
    return true;
  }

  bool is_scheme(std::string_view s) const {
    return !s.empty() && is_alpha(s[0]) && std::all_of(s.begin(), s.end(), [](char c) {
      return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
    });
  }

  // authority = [ userinfo "@" ] host [ ":" port ]
  bool is_authority(std::string_view s) const {
    if (const std::size_t at = s.find('@'); at != std::string_view::npos) {
      if (!consists_of(s.substr(0, at), ":")) return false;  // userinfo (an "@" in it ends up here too)
      s.remove_prefix(at + 1);
    }
    std::string_view host = s;
    if (!s.empty() && s[0] == '[') {
      const std::size_t close = s.find(']');
      if (close == std::string_view::npos || !is_ip_literal(s.substr(1, close - 1))) return false;
      host = {};
      s.remove_prefix(close + 1);
      if (!s.empty() && s[0] != ':') return false;
    } else {
      const std::size_t colon = s.find(':');
      host = s.substr(0, colon);
      s = colon == std::string_view::npos ? std::string_view{} : s.substr(colon);
      if (!consists_of(host, "")) return false;  // reg-name (an IPv4 address is one too)
    }
    if (s.empty()) return true;
    return std::all_of(s.begin() + 1, s.end(), is_digit);  // port
  }

  // The part after "?" or "#".
  bool is_query_or_fragment(std::string_view s) const { return consists_of(s, ":@/?"); }

  bool is_path(std::string_view s) const { return consists_of(s, ":@/"); }

 private:
  static bool is_ip_literal(std::string_view s) {
    if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) {  // IPvFuture
      const std::size_t dot = s.find('.');
      if (dot == std::string_view::npos || dot < 2 || dot + 1 >= s.size()) return false;
      return std::all_of(s.begin() + 1, s.begin() + static_cast<std::ptrdiff_t>(dot), is_hex) &&
             std::all_of(s.begin() + static_cast<std::ptrdiff_t>(dot) + 1, s.end(),
                         [](char c) { return is_unreserved(c) || is_sub_delim(c) || c == ':'; });
    }
    return is_ipv6(s);
  }

  bool iri_;
};

bool is_web_scheme(std::string_view scheme) {
  auto equals = [&](std::string_view name) {
    return scheme.size() == name.size() && std::equal(scheme.begin(), scheme.end(), name.begin(),
                                                      [](char a, char b) { return (a | 0x20) == b; });
  };
  return equals("http") || equals("https");
}

// URI-reference (RFC 3986, section 4.1) or, when `absolute`, URI (section 3); IRIs when `iri`.
bool is_reference(std::string_view s, bool iri, bool absolute) {
  const UriGrammar grammar(iri);
  if (const std::size_t hash = s.find('#'); hash != std::string_view::npos) {
    if (!grammar.is_query_or_fragment(s.substr(hash + 1))) return false;
    s = s.substr(0, hash);
  }
  if (const std::size_t question = s.find('?'); question != std::string_view::npos) {
    if (!grammar.is_query_or_fragment(s.substr(question + 1))) return false;
    s = s.substr(0, question);
  }
  const std::size_t colon = s.find(':');
  const std::string_view scheme = colon == std::string_view::npos ? std::string_view{} : s.substr(0, colon);
  const bool has_scheme =
      colon != std::string_view::npos && s.substr(0, colon).find('/') == std::string_view::npos;
  if (has_scheme) {
    // A colon in the first segment always reads as the end of a scheme; if that is not a scheme, the
    // reference is not valid either (a relative path's first segment may not hold a colon).
    if (!grammar.is_scheme(s.substr(0, colon))) return false;
    s.remove_prefix(colon + 1);
  } else if (absolute) {
    return false;
  }
  if (s.starts_with("//")) {
    s.remove_prefix(2);
    const std::size_t path_start = s.find('/');
    const std::string_view authority = s.substr(0, path_start);
    if (!grammar.is_authority(authority)) return false;
    // RFC 9110, section 4.2: an http(s) URI names a host ("http://" alone is well-formed RFC 3986, but
    // useless).
    if (has_scheme && authority.empty() && is_web_scheme(scheme)) return false;
    s = path_start == std::string_view::npos ? std::string_view{} : s.substr(path_start);
  }
  return grammar.is_path(s);
}

// varname = varchar *( ["."] varchar ), varchar = ALPHA / DIGIT / "_" / pct-encoded; then ":" max-length
// (1 to 9999, no leading zero) or "*".
bool is_varspec(std::string_view spec) {
  std::string_view name = spec;
  if (spec.ends_with("*")) {
    name = spec.substr(0, spec.size() - 1);
  } else if (const std::size_t colon = spec.find(':'); colon != std::string_view::npos) {
    name = spec.substr(0, colon);
    const std::string_view length = spec.substr(colon + 1);
    if (length.empty() || length.size() > 4 || length[0] == '0' ||
        !std::all_of(length.begin(), length.end(), is_digit)) {
      return false;
    }
  }
  if (name.empty() || name.front() == '.' || name.back() == '.') return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '%') {
      if (i + 2 >= name.size() || !is_hex(name[i + 1]) || !is_hex(name[i + 2])) return false;
      i += 2;
    } else if (c == '.') {
      if (name[i + 1] == '.') return false;
    } else if (!is_alpha(c) && !is_digit(c) && c != '_') {
      return false;
    }
  }
  return true;
}

bool is_template_expression(std::string_view body) {
  if (!body.empty() && std::string_view("+#./;?&").find(body[0]) != std::string_view::npos) {
    body.remove_prefix(1);
  }
  for (std::size_t start = 0;;) {
    const std::size_t comma = body.find(',', start);
    if (!is_varspec(body.substr(start, comma == std::string_view::npos ? comma : comma - start)))
      return false;
    if (comma == std::string_view::npos) return true;
    start = comma + 1;
  }
}

}  // namespace

bool is_uri(std::string_view s) {
  return is_reference(s, /*iri=*/false, /*absolute=*/true);
}

bool is_uri_reference(std::string_view s) {
  return is_reference(s, /*iri=*/false, /*absolute=*/false);
}

bool is_iri(std::string_view s) {
  return is_reference(s, /*iri=*/true, /*absolute=*/true);
}

bool is_iri_reference(std::string_view s) {
  return is_reference(s, /*iri=*/true, /*absolute=*/false);
}

// RFC 6570, level 4: literals and {expressions}.
bool is_uri_template(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '{') {
      const std::size_t close = s.find('}', i);
      if (close == std::string_view::npos || !is_template_expression(s.substr(i + 1, close - i - 1)))
        return false;
      i = close;
    } else if (c == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 2;
    } else if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F ||
               std::string_view("\"<>\\^`|}").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// 8-4-4-4-12 hex digits, either case, any version and variant.
bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

// RFC 6901: "" or "/"-separated tokens in which "~" is always followed by 0 or 1.
bool is_json_pointer(std::string_view s) {
  if (!s.empty() && s[0] != '/') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '~' && (i + 1 >= s.size() || (s[i + 1] != '0' && s[i + 1] != '1'))) return false;
  }
  return true;
}

// A non-negative integer without leading zeros, then "#" or a JSON pointer.
bool is_relative_json_pointer(std::string_view s) {
  std::size_t digits = 0;
  while (digits < s.size() && is_digit(s[digits])) ++digits;
  if (digits == 0 || (digits > 1 && s[0] == '0')) return false;
  const std::string_view rest = s.substr(digits);
  return rest == "#" || is_json_pointer(rest);
}

// ECMA-262 syntax (with the u flag). Back-references and lookarounds are valid here even though "pattern"
// refuses them.
bool is_regex(std::string_view s) {
  // Past this length only the (linear) translation checks the syntax: compiling a hostile megabyte-long
  // expression with RE2 just to judge its brackets would cost far more than it tells.
  constexpr std::size_t kCompiledUpTo = 4096;
  try {
    const std::string translated = ecmascript_to_re2(s, RegexUse::kCheckSyntax);
    if (s.size() <= kCompiledUpTo) check_re2_compiles(translated);
    return true;
  } catch (const RegexUnsupported&) {
    return true;  // valid ECMAScript beyond RE2's limits (a count over 1000)
  } catch (const RegexSyntaxError&) {
    return false;
  }
}

}  // namespace mcpd::schema::detail
