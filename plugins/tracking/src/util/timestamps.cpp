#include "timestamps.hpp"

#include <cstdio>

namespace mcpd::tracking {
namespace {

using namespace std::chrono;

bool digits(std::string_view text, std::size_t pos, std::size_t width, int& out) {
  if (pos + width > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

struct parsed_time {
  utc_millis local;  // the wall-clock reading, as if it were UTC
  bool has_zone = false;
  minutes offset{0};
  bool has_time = false;
};

// Reads date, optional time, optional fraction, optional zone; the whole text must be consumed.
std::optional<parsed_time> parse_parts(std::string_view text) {
  int y = 0, mo = 0, d = 0;
  if (!digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, mo) ||
      text[7] != '-' || !digits(text, 8, 2, d)) {
    return std::nullopt;
  }
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  parsed_time result;
  result.local = utc_millis{sys_days{date}};
  if (text.size() == 10) return result;

  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
  int h = 0, mi = 0, s = 0;
  if (!digits(text, 11, 2, h) || text.size() < 16 || text[13] != ':' || !digits(text, 14, 2, mi)) {
    return std::nullopt;
  }
  std::size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!digits(text, pos + 1, 2, s)) return std::nullopt;
    pos += 3;
  }
  if (h > 23 || mi > 59 || s > 60) return std::nullopt;
  milliseconds fraction{0};
  if (pos < text.size() && text[pos] == '.') {
    const std::size_t start = ++pos;
    int scale = 100;
    long long ms = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      ms += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
    fraction = milliseconds(ms);
  }
  result.has_time = true;
  result.local += hours{h} + minutes{mi} + seconds{s} + fraction;
  if (pos == text.size()) return result;

  if (text[pos] == 'Z' || text[pos] == 'z') {
    if (pos + 1 != text.size()) return std::nullopt;
    result.has_zone = true;
    return result;
  }
  if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
  const int sign = text[pos] == '-' ? -1 : 1;
  int oh = 0, om = 0;
  if (!digits(text, pos + 1, 2, oh)) return std::nullopt;
  std::size_t after = pos + 3;
  if (after < text.size() && text[after] == ':') ++after;
  if (!digits(text, after, 2, om) || after + 2 != text.size() || oh > 23 || om > 59) return std::nullopt;
  result.has_zone = true;
  result.offset = minutes(sign * (oh * 60 + om));
  return result;
}

std::optional<utc_millis> relative_to(std::string_view text, utc_millis now) {
  if (text.size() < 3 || text.front() != '-') return std::nullopt;
  const char unit = text.back();
  const std::string_view number = text.substr(1, text.size() - 2);
  if (number.empty() || number.size() > 5 || number.front() == '0') return std::nullopt;
  int amount = 0;
  if (!digits(number, 0, number.size(), amount)) return std::nullopt;
  switch (unit) {
    case 'h':
      return now - hours{amount};
    case 'd':
      return now - days{amount};
    case 'w':
      return now - weeks{amount};
    case 'm':
    case 'y': {
      // Calendar arithmetic: -1m from March 31 is the last day of February, not March 3.
      const auto day_start = floor<days>(now);
      const auto time_of_day = now - day_start;
      const year_month_day date{day_start};
      const year_month target = date.year() / date.month() - months{unit == 'm' ? amount : 12 * amount};
      const day last_day = year_month_day_last{target.year() / month_day_last{target.month()}}.day();
      const day clamped = date.day() > last_day ? last_day : date.day();
      return utc_millis{sys_days{target.year() / target.month() / clamped}} + time_of_day;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<utc_millis> parse_iso8601_with_zone(std::string_view text) {
  const auto parts = parse_parts(text);
  if (!parts || !parts->has_time || !parts->has_zone) return std::nullopt;
  return parts->local - parts->offset;
}

std::optional<utc_millis> parse_time_bound(std::string_view text, utc_millis now) {
  if (text.starts_with('-')) return relative_to(text, now);
  const auto parts = parse_parts(text);
  if (!parts) return std::nullopt;
  return parts->local - parts->offset;
}

std::string format_iso8601(utc_millis when) {
  const auto day_start = floor<days>(when);
  const year_month_day date{day_start};
  const hh_mm_ss<milliseconds> time{when - day_start};
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()), static_cast<int>(time.subseconds().count()));
  return buffer;
}

}  // namespace mcpd::tracking
