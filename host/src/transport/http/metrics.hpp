#pragma once
// Counters for /metrics, rendered in the Prometheus text exposition format
// (version 0.0.4): HTTP requests by method and status, refusals by the limit
// that refused them, every limit breach by its setting (over every transport),
// tool calls by tool and outcome with a latency histogram, live sessions,
// loaded plugins.
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "registry/registry_snapshot.hpp"
#include "util/prometheus_text.hpp"

namespace mcpd::transport::http {

class Metrics {
 public:
  Metrics();
  void count_request(std::string_view method, int status);
  // A request or connection refused by the HTTP transport; `reason` is one of
  // a fixed set of names ("body_too_large", "sessions", ...), never client
  // text. A reason that is a limit counts as a breach of it too.
  void count_refusal(std::string_view reason);
  // A limit breached, named by its setting ("server.max_message_bytes", ...;
  // "json_depth" has none): what protocol::CallObserver::limit_breach reports.
  void count_limit_breach(std::string_view limit);
  // An idle session closed to make room for a new one.
  void count_session_eviction();
  // `tool` is the qualified name, or "<unknown>" for names that match no tool
  // (so a client cannot grow the label set without bound).
  void observe_tool_call(std::string_view tool, std::string_view outcome,
                         std::chrono::steady_clock::duration elapsed);

  std::string render(const registry::RegistrySnapshot& snapshot, std::size_t sessions) const;

 private:
  static constexpr std::array<double, 14> kBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                      0.5,   1,     2.5,  5,     10,   30,  60};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // non-cumulative; summed when rendered
    std::uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, std::uint64_t, std::less<>> refusals_;
  std::map<std::string, std::uint64_t, std::less<>> limit_breaches_;
  std::uint64_t session_evictions_ = 0;
  std::map<std::pair<std::string, std::string>, std::uint64_t> tool_calls_;
  std::map<std::string, Histogram> durations_;
};

using mcpd::prometheus_label;

}  // namespace mcpd::transport::http
