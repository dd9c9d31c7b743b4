// email, idn-email, hostname, idn-hostname, ipv4 and ipv6.
#include "schema/format_checks.hpp"

#include "schema/idna.hpp"
#include "schema/utf8.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace mcpd::schema::detail {
namespace {

bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_hex(char c) {
  return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_non_ascii(char c) {
  return static_cast<unsigned char>(c) >= 0x80;
}

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t end = s.find(separator, start);
    parts.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool starts_with_ace_prefix(std::string_view label) {
  return label.size() >= 4 && (label[0] | 0x20) == 'x' && (label[1] | 0x20) == 'n' && label[2] == '-' &&
         label[3] == '-';
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// An "xn--" A-label: valid, canonical Punycode of a U-label that IDNA2008 allows and that is not plain ASCII.
std::optional<std::u32string> decode_a_label(std::string_view label) {
  const auto decoded = punycode_decode(label.substr(4));
  if (!decoded || std::all_of(decoded->begin(), decoded->end(), [](char32_t c) { return c < 0x80; })) {
    return std::nullopt;
  }
  const auto again = punycode_encode(*decoded);
  if (!again || *again != lower_ascii(label.substr(4))) return std::nullopt;  // not the canonical encoding
  std::u32string lowered = *decoded;
  for (char32_t& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';  // basic code points keep the case they were written in
  }
  if (!is_valid_u_label(lowered)) return std::nullopt;
  return lowered;
}

// An LDH label (letters, digits, hyphens; RFC 1123), or an A-label; `u_label` receives the Unicode form.
bool is_ascii_label(std::string_view label, std::u32string& u_label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
  for (const char c : label) {
    if (!is_ascii_alpha(c) && !is_ascii_digit(c) && c != '-') return false;
  }
  if (starts_with_ace_prefix(label)) {
    auto decoded = decode_a_label(label);
    if (!decoded) return false;
    u_label = std::move(*decoded);
    return true;
  }
  if (label.size() >= 4 && label[2] == '-' && label[3] == '-') return false;  // reserved for other prefixes
  u_label = decode_utf8(lower_ascii(label));
  return true;
}

bool is_hostname_labels(const std::vector<std::string_view>& labels) {
  std::vector<std::u32string> u_labels;
  for (const auto label : labels) {
    if (!is_ascii_label(label, u_labels.emplace_back())) return false;
  }
  return satisfies_bidi_rule(u_labels);
}

// A label of an internationalised name, in A-label form for the length rules.
bool is_idn_label(std::string_view label, std::u32string& u_label, std::size_t& ascii_length) {
  if (std::none_of(label.begin(), label.end(), is_non_ascii)) {
    ascii_length = label.size();
    return is_ascii_label(label, u_label);
  }
  u_label = decode_utf8(label);
  // Every code point adds at least one character to the A-label, so a longer label can never fit in 63;
  // refusing it here keeps the Punycode encoder (quadratic in the label) away from hostile input.
  if (u_label.size() > 63) return false;
  for (char32_t& c : u_label) {
    if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';
  }
  if (!is_valid_u_label(u_label)) return false;
  const auto encoded = punycode_encode(u_label);
  if (!encoded) return false;
  ascii_length = 4 + encoded->size();
  return ascii_length <= 63;
}

// Label separators of IDNA2003 that UTS 46 keeps: full stop, ideographic, fullwidth and halfwidth full stops.
std::vector<std::string_view> idn_labels(std::string_view s) {
  std::vector<std::string_view> labels;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t width = 0;
    if (s[i] == '.') {
      width = 1;
    } else if (s.substr(i, 3) == "\xE3\x80\x82" || s.substr(i, 3) == "\xEF\xBC\x8E" ||
               s.substr(i, 3) == "\xEF\xBD\xA1") {
      width = 3;
    }
    if (width == 0) {
      ++i;
      continue;
    }
    labels.push_back(s.substr(start, i - start));
    i += width;
    start = i;
  }
  labels.push_back(s.substr(start));
  return labels;
}

// RFC 5321 Dot-string (RFC 6531 adds UTF-8) or Quoted-string; returns where the "@" should be.
std::size_t local_part_end(std::string_view s, bool international) {
  constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  if (!s.empty() && s[0] == '"') {
    for (std::size_t i = 1; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '"') return i + 1;
      if (c == '\\') {
        if (++i >= s.size() || s[i] < 32 || s[i] > 126) return std::string_view::npos;
      } else if (!(international && is_non_ascii(c)) && (c < 32 || c > 126)) {
        return std::string_view::npos;
      }
    }
    return std::string_view::npos;
  }
  std::size_t i = 0;
  bool after_dot = true;  // no dot first, none twice in a row
  for (; i < s.size() && s[i] != '@'; ++i) {
    const char c = s[i];
    if (c == '.') {
      if (after_dot) return std::string_view::npos;
      after_dot = true;
    } else if (is_ascii_alpha(c) || is_ascii_digit(c) || kSpecials.find(c) != std::string_view::npos ||
               (international && is_non_ascii(c))) {
      after_dot = false;
    } else {
      return std::string_view::npos;
    }
  }
  return i > 0 && !after_dot ? i : std::string_view::npos;
}

bool is_mailbox(std::string_view s, bool international) {
  const std::size_t end = local_part_end(s, international);
  if (end == std::string_view::npos || end > 64 || end >= s.size() || s[end] != '@') return false;
  const std::string_view domain = s.substr(end + 1);
  if (domain.size() >= 2 && domain.front() == '[' && domain.back() == ']') {  // an address literal
    const std::string_view address = domain.substr(1, domain.size() - 2);
    if (address.starts_with("IPv6:")) return is_ipv6(address.substr(5));
    return is_ipv4(address);
  }
  return international ? is_idn_hostname(domain) : is_hostname(domain);
}

}  // namespace

bool is_email(std::string_view s) {
  return is_mailbox(s, false);
}

bool is_idn_email(std::string_view s) {
  return is_mailbox(s, true);
}

// RFC 1123 names of letters, digits and hyphens (A-labels included), at most 253 characters, no empty label
// (so no trailing dot either).
bool is_hostname(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  return is_hostname_labels(split(s, '.'));
}

bool is_idn_hostname(std::string_view s) {
  if (s.empty()) return false;
  std::vector<std::u32string> u_labels;
  std::size_t ascii_length = 0;
  for (const auto label : idn_labels(s)) {
    std::size_t label_length = 0;
    if (!is_idn_label(label, u_labels.emplace_back(), label_length)) return false;
    ascii_length += label_length + (ascii_length > 0 ? 1 : 0);
  }
  return ascii_length <= 253 && satisfies_bidi_rule(u_labels);
}

// Four decimal octets without leading zeros (RFC 2673's dotted-quad, not inet_aton's shorthand).
bool is_ipv4(std::string_view s) {
  const auto parts = split(s, '.');
  if (parts.size() != 4) return false;
  for (const auto part : parts) {
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return false;
    int value = 0;
    for (const char c : part) {
      if (!is_ascii_digit(c)) return false;
      value = value * 10 + (c - '0');
    }
    if (value > 255) return false;
  }
  return true;
}

// RFC 4291, section 2.2: eight groups of 1-4 hex digits, one "::" for a run of zero groups, the last 32 bits
// possibly as an IPv4 address. No zone index, no brackets, no prefix length.
bool is_ipv6(std::string_view s) {
  if (s.size() < 2) return false;
  const std::size_t gap = s.find("::");
  if (gap != std::string_view::npos && s.find("::", gap + 1) != std::string_view::npos) return false;
  auto count_groups = [](std::string_view part, bool may_end_with_ipv4, std::size_t& groups) {
    if (part.empty()) return true;
    const auto pieces = split(part, ':');
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      const auto piece = pieces[i];
      if (may_end_with_ipv4 && i + 1 == pieces.size() && piece.find('.') != std::string_view::npos) {
        if (!is_ipv4(piece)) return false;
        groups += 2;
        continue;
      }
      if (piece.empty() || piece.size() > 4 || !std::all_of(piece.begin(), piece.end(), is_hex)) return false;
      ++groups;
    }
    return true;
  };
  std::size_t groups = 0;
  if (gap == std::string_view::npos) return count_groups(s, true, groups) && groups == 8;
  return count_groups(s.substr(0, gap), false, groups) && count_groups(s.substr(gap + 2), true, groups) &&
         groups <= 7;
}

}  // namespace mcpd::schema::detail
