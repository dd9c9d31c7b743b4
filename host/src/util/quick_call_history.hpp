#pragma once
// Whether a handler has been quick lately: the evidence for running its next call on the thread that read
// it (see transport/stdio_reader.hpp) instead of handing it to a worker.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace mcpd {

class QuickCallHistory {
 public:
  // This many quick calls in a row before the next one runs in place; one slow call starts the count again.
  static constexpr std::uint32_t kQuickInARow = 8;

  QuickCallHistory() = default;
  // Registrations are copied while a plugin loads, before any call: the count comes along.
  QuickCallHistory(const QuickCallHistory& other) : quick_in_a_row_(other.quick_in_a_row_.load()) {}
  QuickCallHistory& operator=(const QuickCallHistory& other) {
    quick_in_a_row_.store(other.quick_in_a_row_.load());
    return *this;
  }

  bool quick() const { return quick_in_a_row_.load(std::memory_order_relaxed) >= kQuickInARow; }

  // `quick`: server.quick_call_us, 200 µs by default: a call that short costs less than the hand-off to a
  // worker it would save many times over.
  void record(std::chrono::steady_clock::duration took, std::chrono::microseconds quick) {
    if (took > quick) {
      quick_in_a_row_.store(0, std::memory_order_relaxed);
    } else if (quick_in_a_row_.load(std::memory_order_relaxed) < kQuickInARow) {
      quick_in_a_row_.fetch_add(1, std::memory_order_relaxed);
    }
  }

 private:
  std::atomic<std::uint32_t> quick_in_a_row_{0};
};

}  // namespace mcpd
