// date-time, date, time and duration (RFC 3339, section 5.6 and appendix A). Digits are ASCII only: a
// Bengali four is a digit to Unicode, not to RFC 3339.
#include "schema/format_checks.hpp"

#include <cstddef>

namespace mcpd::schema::detail {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
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

// full-date at the start of `s`: YYYY-MM-DD.
bool read_date(std::string_view s) {
  int year = 0, month = 0, day = 0;
  return read_digits(s, 0, 4, year) && s.size() >= 10 && s[4] == '-' && read_digits(s, 5, 2, month) &&
         s[7] == '-' && read_digits(s, 8, 2, day) && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

// full-time: HH:MM:SS[.fraction] then Z or +HH:MM / -HH:MM. `iso_offsets` also takes ISO-8601's +HHMM, which
// date-time has always accepted here. A leap second (:60) must fall on 23:59 UTC.
bool read_time(std::string_view s, bool iso_offsets) {
  int hour = 0, minute = 0, second = 0;
  if (!read_digits(s, 0, 2, hour) || s.size() < 9 || s[2] != ':' || !read_digits(s, 3, 2, minute) ||
      s[5] != ':' || !read_digits(s, 6, 2, second)) {
    return false;
  }
  if (hour > 23 || minute > 59 || second > 60) return false;
  std::size_t pos = 8;
  if (pos < s.size() && s[pos] == '.') {
    const std::size_t fraction_start = ++pos;
    while (pos < s.size() && is_digit(s[pos])) ++pos;
    if (pos == fraction_start) return false;
  }
  if (pos == s.size()) return false;  // no offset: the time would be ambiguous
  int offset = 0;                     // minutes east of UTC
  if (s[pos] == 'Z' || s[pos] == 'z') {
    if (pos + 1 != s.size()) return false;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int offset_hours = 0, offset_minutes = 0;
    if (!read_digits(s, pos + 1, 2, offset_hours)) return false;
    std::size_t minutes_at = pos + 3;
    if (minutes_at < s.size() && s[minutes_at] == ':') {
      ++minutes_at;
    } else if (!iso_offsets) {
      return false;
    }
    if (!read_digits(s, minutes_at, 2, offset_minutes) || minutes_at + 2 != s.size()) return false;
    if (offset_hours > 23 || offset_minutes > 59) return false;
    offset = (s[pos] == '+' ? 1 : -1) * (offset_hours * 60 + offset_minutes);
  } else {
    return false;
  }
  if (second == 60) {
    const int utc_minute = ((hour * 60 + minute - offset) % 1440 + 1440) % 1440;
    if (utc_minute != 23 * 60 + 59) return false;
  }
  return true;
}

// 1*DIGIT followed by `unit`; advances `pos` past both.
bool read_component(std::string_view s, std::size_t& pos, char unit) {
  std::size_t end = pos;
  while (end < s.size() && is_digit(s[end])) ++end;
  if (end == pos || end >= s.size() || s[end] != unit) return false;
  pos = end + 1;
  return true;
}

// The next component's unit, without consuming anything: the letter after the digits at `pos`.
char next_unit(std::string_view s, std::size_t pos) {
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  return pos < s.size() ? s[pos] : '\0';
}

// dur-time = "T" (dur-hour / dur-minute / dur-second), each optionally followed by the smaller units in
// order, none skipped: H [M [S]] or M [S] or S.
bool read_duration_time(std::string_view s, std::size_t& pos) {
  if (pos >= s.size() || s[pos] != 'T') return false;
  ++pos;
  const char first = next_unit(s, pos);
  const char* units = first == 'H' ? "HMS" : first == 'M' ? "MS" : first == 'S' ? "S" : nullptr;
  if (units == nullptr) return false;
  for (const char* unit = units; *unit != '\0' && pos < s.size(); ++unit) {
    if (!read_component(s, pos, *unit)) return false;
  }
  return pos == s.size();
}

}  // namespace

// 2026-01-31T12:00:00Z, 2026-01-31T12:00:00.123+02:00. Lower-case t and z, the space separator RFC 3339
// permits and ISO-8601's +0200 offset are accepted too.
bool is_date_time(std::string_view s) {
  if (s.size() < 20 || !read_date(s)) return false;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return false;
  return read_time(s.substr(11), /*iso_offsets=*/true);
}

bool is_date(std::string_view s) {
  return s.size() == 10 && read_date(s);
}

bool is_time(std::string_view s) {
  return read_time(s, /*iso_offsets=*/false);
}

// P3Y6M4DT12H30M5S, P4W, PT36H; no fractions, no signs, and weeks never mixed with other units.
bool is_duration(std::string_view s) {
  if (s.size() < 3 || s[0] != 'P') return false;
  std::size_t pos = 1;
  if (s[pos] == 'T') return read_duration_time(s, pos);
  const char first = next_unit(s, pos);
  if (first == 'W') return read_component(s, pos, 'W') && pos == s.size();
  // dur-date = dur-day / dur-month / dur-year, each optionally followed by the smaller units in order.
  const char* units = first == 'Y' ? "YMD" : first == 'M' ? "MD" : first == 'D' ? "D" : nullptr;
  if (units == nullptr) return false;
  for (const char* unit = units; *unit != '\0' && pos < s.size() && s[pos] != 'T'; ++unit) {
    if (!read_component(s, pos, *unit)) return false;
  }
  if (pos == s.size()) return true;
  return read_duration_time(s, pos);
}

}  // namespace mcpd::schema::detail
