#pragma once
// How one loaded plugin version behaves against the call deadline
// (server.call_timeout_ms). A call past its deadline is answered with an error
// and abandoned, but its thread is still inside the plugin's code, which mcpd
// cannot stop: while such a call has not returned, the plugin is unhealthy.
// /healthz, /admin/plugins (mcpd plugin list) and /metrics report it.
#include <algorithm>
#include <atomic>
#include <cstdint>

namespace mcpd::loader {

class PluginHealth {
 public:
  // A call passed its deadline while running this plugin's handler.
  void call_overdue() {
    stuck_calls_.fetch_add(1);
    overdue_total_.fetch_add(1);
  }
  // A call that had passed its deadline returned after all.
  void overdue_call_returned() { stuck_calls_.fetch_sub(1); }

  // Calls past their deadline that are still running the plugin's code. (A
  // late return may be counted a moment before its deadline's report: never
  // below zero.)
  int stuck_calls() const { return std::max(0, stuck_calls_.load()); }
  // Calls that ever passed their deadline in this version.
  std::uint64_t overdue_total() const { return overdue_total_.load(); }
  bool healthy() const { return stuck_calls() == 0; }

 private:
  std::atomic<int> stuck_calls_{0};
  std::atomic<std::uint64_t> overdue_total_{0};
};

}  // namespace mcpd::loader
