// mcpd::sdk::http::rate_limiter: a client-side cap on requests per minute, so a plugin stays under an
// upstream's per-key limits instead of collecting 429s.
#ifndef MCPD_SDK_HTTP_RATE_LIMITER_HPP
#define MCPD_SDK_HTTP_RATE_LIMITER_HPP

#include <algorithm>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

namespace mcpd::sdk::http {

/// A token bucket holding up to `per_minute` tokens, refilled at per_minute/60 tokens a second: bursts up
/// to the minute's budget pass at once, a steady stream is held to the rate. Thread-safe; share one per
/// upstream credential.
class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;

  explicit rate_limiter(unsigned per_minute)
      : capacity_(std::max(1u, per_minute)), tokens_(capacity_), refilled_at_(clock::now()) {}

  struct acquisition {
    bool acquired = false;
    std::chrono::milliseconds wait{0};  // how long the caller waited, or would have had to wait
  };

  /// Takes one token. When none is left, waits for the next one if that takes at most `max_wait` (checking
  /// `cancelled` every 50 ms); otherwise takes nothing and reports the wait that would be needed, so the
  /// caller can say when to try again.
  acquisition acquire(std::chrono::milliseconds max_wait, const std::function<bool()>& cancelled = {}) {
    std::chrono::milliseconds wait{0};
    {
      std::lock_guard lock(mutex_);
      refill(clock::now());
      if (tokens_ < 1.0) {
        const double seconds_to_token = (1.0 - tokens_) / rate_per_second();
        wait = std::chrono::milliseconds(static_cast<long long>(seconds_to_token * 1000.0) + 1);
        if (wait > max_wait) return {false, wait};
      }
      tokens_ -= 1.0;  // reserved now, so concurrent callers queue behind this one
    }
    const auto until = clock::now() + wait;
    while (clock::now() < until) {
      if (cancelled && cancelled()) return {false, wait};
      std::this_thread::sleep_for(
          std::min<clock::duration>(until - clock::now(), std::chrono::milliseconds(50)));
    }
    return {true, wait};
  }

  unsigned per_minute() const noexcept { return capacity_; }

 private:
  double rate_per_second() const noexcept { return static_cast<double>(capacity_) / 60.0; }

  void refill(clock::time_point now) {
    const std::chrono::duration<double> elapsed = now - refilled_at_;
    tokens_ = std::min(static_cast<double>(capacity_), tokens_ + elapsed.count() * rate_per_second());
    refilled_at_ = now;
  }

  const unsigned capacity_;
  std::mutex mutex_;
  double tokens_;
  clock::time_point refilled_at_;
};

}  // namespace mcpd::sdk::http

#endif  // MCPD_SDK_HTTP_RATE_LIMITER_HPP
