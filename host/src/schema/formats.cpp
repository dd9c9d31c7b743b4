#include "schema/formats.hpp"

#include <cstddef>

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

// Reads exactly `width` digits at `pos` into `out`.
bool read_digits(std::string_view s, std::size_t pos, std::size_t width, int& out) {
  if (pos + width > s.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < width; ++i) {
    if (!is_digit(s[pos + i])) return false;
    out = out * 10 + (s[pos + i] - '0');
  }
  return true;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// RFC 3339 date-time: 2026-01-31T12:00:00Z, 2026-01-31T12:00:00.123+02:00. ISO-8601's "+0200" offset and
// the space separator RFC 3339 permits are accepted too; a time without any offset is not (it is ambiguous).
bool is_date_time(std::string_view s) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !read_digits(s, 5, 2, month) ||
      s[7] != '-' || !read_digits(s, 8, 2, day)) {
    return false;
  }
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return false;
  if (!read_digits(s, 11, 2, hour) || s[13] != ':' || !read_digits(s, 14, 2, minute) || s[16] != ':' ||
      !read_digits(s, 17, 2, second)) {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;  // 60: a leap second
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    const std::size_t fraction_start = ++pos;
    while (pos < s.size() && is_digit(s[pos])) ++pos;
    if (pos == fraction_start) return false;
  }
  if (pos == s.size()) return false;
  if (s[pos] == 'Z' || s[pos] == 'z') return pos + 1 == s.size();
  if (s[pos] != '+' && s[pos] != '-') return false;
  int offset_hours = 0, offset_minutes = 0;
  if (!read_digits(s, pos + 1, 2, offset_hours)) return false;
  std::size_t minutes_at = pos + 3;
  if (minutes_at < s.size() && s[minutes_at] == ':') ++minutes_at;
  if (!read_digits(s, minutes_at, 2, offset_minutes) || minutes_at + 2 != s.size()) return false;
  return offset_hours <= 23 && offset_minutes <= 59;
}

// An absolute URI (RFC 3986): a scheme, ":", then only URI characters, with well-formed percent escapes.
bool is_uri(std::string_view s) {
  if (s.empty() || !is_alpha(s[0])) return false;
  std::size_t pos = 1;
  while (pos < s.size() &&
         (is_alpha(s[pos]) || is_digit(s[pos]) || s[pos] == '+' || s[pos] == '-' || s[pos] == '.')) {
    ++pos;
  }
  if (pos >= s.size() || s[pos] != ':') return false;
  constexpr std::string_view kAllowed = "-._~:/?#[]@!$&'()*+,;=";
  for (++pos; pos < s.size(); ++pos) {
    const char c = s[pos];
    if (c == '%') {
      if (pos + 2 >= s.size() || !is_hex(s[pos + 1]) || !is_hex(s[pos + 2])) return false;
      pos += 2;
    } else if (!is_alpha(c) && !is_digit(c) && kAllowed.find(c) == std::string_view::npos) {
      return false;
    }
  }
  // "//" introduces an authority; "http://" with nothing after it names no host.
  const std::size_t colon = s.find(':');
  if (s.substr(colon + 1, 2) == "//") {
    const std::string_view rest = s.substr(colon + 3);
    const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (authority.empty() && !(s.substr(0, colon) == "file")) return false;
  }
  return true;
}

bool is_email_local_char(char c) {
  constexpr std::string_view kSpecials = "!#$%&'*+/=?^_`{|}~-";
  return is_alpha(c) || is_digit(c) || kSpecials.find(c) != std::string_view::npos;
}

// Dot-atom local part "@" a DNS name (RFC 5321, without quoted local parts and address literals).
bool is_email(std::string_view s) {
  const std::size_t at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || s.size() > 254) return false;
  const std::string_view local = s.substr(0, at);
  const std::string_view domain = s.substr(at + 1);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  for (const char c : local) {
    if (c != '.' && !is_email_local_char(c)) return false;
  }
  if (domain.empty()) return false;
  std::size_t label_start = 0;
  while (label_start <= domain.size()) {
    std::size_t label_end = domain.find('.', label_start);
    if (label_end == std::string_view::npos) label_end = domain.size();
    const std::string_view label = domain.substr(label_start, label_end - label_start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (const char c : label) {
      if (!is_alpha(c) && !is_digit(c) && c != '-') return false;
    }
    label_start = label_end + 1;
  }
  return true;
}

// 8-4-4-4-12 hex digits, either case.
bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

}  // namespace

Format format_from_name(std::string_view name) {
  if (name == "date-time") return Format::kDateTime;
  if (name == "uri") return Format::kUri;
  if (name == "email") return Format::kEmail;
  if (name == "uuid") return Format::kUuid;
  return Format::kNone;
}

bool matches_format(Format format, std::string_view text) {
  switch (format) {
    case Format::kDateTime:
      return is_date_time(text);
    case Format::kUri:
      return is_uri(text);
    case Format::kEmail:
      return is_email(text);
    case Format::kUuid:
      return is_uuid(text);
    case Format::kNone:
      break;
  }
  return true;
}

const char* format_expectation(Format format) {
  switch (format) {
    case Format::kDateTime:
      return "string in date-time format (ISO-8601, e.g. 2026-01-31T12:00:00Z)";
    case Format::kUri:
      return "string in uri format (an absolute URI, e.g. https://example.com/path)";
    case Format::kEmail:
      return "string in email format (e.g. name@example.com)";
    case Format::kUuid:
      return "string in uuid format (e.g. 123e4567-e89b-12d3-a456-426614174000)";
    case Format::kNone:
      break;
  }
  return "string";
}

}  // namespace mcpd::schema::detail
