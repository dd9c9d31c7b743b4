// mcpd::sdk::http retry rules: which answers are worth repeating, how long to wait before the next attempt
// (capped exponential backoff with jitter), and what the server's Retry-After asks for.
#ifndef MCPD_SDK_HTTP_RETRY_HPP
#define MCPD_SDK_HTTP_RETRY_HPP

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mcpd::sdk::http {

/// How often and how patiently a request is repeated.
struct retry_policy {
  int max_attempts = 4;                             // the first attempt included; 1 disables retries
  std::chrono::milliseconds initial_backoff{1000};  // wait before the first retry
  std::chrono::milliseconds max_backoff{30000};     // longest wait between attempts, Retry-After included
};

/// What a caller learned from an error answer's body about repeating it. Some APIs say there, not in
/// Retry-After, whether and when to retry: Google's google.rpc.RetryInfo carries a delay, and its
/// QuotaFailure tells a per-minute quota (wait and retry) from a per-day one (retrying is pointless).
struct retry_advice {
  enum class decision {
    by_status,  // no opinion: is_retryable_status() and Retry-After decide
    retry,      // repeat it (within max_attempts), even if the status alone would not be
    give_up,    // do not repeat it, even if the status alone would be
  };
  decision verdict = decision::by_status;
  /// The server's requested wait, used like a Retry-After header (which it replaces).
  std::optional<std::chrono::milliseconds> delay;
};

/// 408 (request timeout), 429 (rate limited) and every 5xx may succeed when repeated; any other status
/// will not, so repeating it only adds load.
constexpr bool is_retryable_status(int status) noexcept {
  return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

/// The wait before retry number `retry` (1 for the first retry): initial_backoff * 2^(retry-1), capped at
/// max_backoff, then "equal jitter": a value between half of it and all of it, chosen by `jitter` in
/// [0, 1). The jitter spreads clients that failed together so they do not come back together.
inline std::chrono::milliseconds backoff_delay(const retry_policy& policy, int retry, double jitter) {
  using std::chrono::milliseconds;
  const std::int64_t cap = std::max<std::int64_t>(0, policy.max_backoff.count());
  std::int64_t base = std::max<std::int64_t>(0, policy.initial_backoff.count());
  for (int i = 1; i < retry && base < cap; ++i) base *= 2;
  base = std::min(base, cap);
  jitter = std::clamp(jitter, 0.0, 1.0);
  const auto half = base / 2;
  return milliseconds(half + static_cast<std::int64_t>(static_cast<double>(base - half) * jitter));
}

namespace detail {

inline bool parse_fixed_digits(std::string_view text, int& out) {
  out = 0;
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

}  // namespace detail

/// Reads a Retry-After header value: delay-seconds ("120") or an IMF-fixdate
/// ("Wed, 21 Oct 2015 07:28:00 GMT", relative to `now`). nullopt when the value is neither. A date in the
/// past means "now" (zero).
inline std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) {
  using namespace std::chrono;
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;

  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    if (value.size() > 9) return milliseconds(999'999'999LL * 1000);  // absurdly long: "not soon"
    int seconds_value = 0;
    detail::parse_fixed_digits(value, seconds_value);
    return milliseconds(static_cast<std::int64_t>(seconds_value) * 1000);
  }

  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (29 characters).
  if (value.size() != 29 || value[3] != ',' || value[4] != ' ' || value[7] != ' ' || value[11] != ' ' ||
      value[16] != ' ' || value[19] != ':' || value[22] != ':' || value.substr(25) != " GMT") {
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto month_name = value.substr(8, 3);
  const auto month_it = std::find(months.begin(), months.end(), month_name);
  int day_number = 0, year_number = 0, hour = 0, minute = 0, second = 0;
  if (month_it == months.end() || !detail::parse_fixed_digits(value.substr(5, 2), day_number) ||
      !detail::parse_fixed_digits(value.substr(12, 4), year_number) ||
      !detail::parse_fixed_digits(value.substr(17, 2), hour) ||
      !detail::parse_fixed_digits(value.substr(20, 2), minute) ||
      !detail::parse_fixed_digits(value.substr(23, 2), second) || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  const year_month_day date{year{year_number}, month{static_cast<unsigned>(month_it - months.begin() + 1)},
                            day{static_cast<unsigned>(day_number)}};
  if (!date.ok()) return std::nullopt;
  const sys_seconds when = sys_days{date} + hours{hour} + minutes{minute} + seconds{second};
  const auto wait = duration_cast<milliseconds>(when - now);
  return wait.count() > 0 ? wait : milliseconds(0);
}

}  // namespace mcpd::sdk::http

#endif  // MCPD_SDK_HTTP_RETRY_HPP
