#include "transport/http/metrics.hpp"

#include <cstdio>

#include "loader/plugin_library.hpp"

namespace mcpd::transport::http {

namespace {

// Every limit whose breach is counted, by its setting, so each shows (as 0) before its first breach.
constexpr std::string_view kLimits[] = {
    "http.max_body_bytes",
    "http.body_timeout_ms",
    "http.max_header_bytes",
    "http.header_timeout_ms",
    "http.max_connections_per_client",
    "http.max_sessions",
    "http.max_sessions_per_client",
    "http.max_calls_per_session",
    "server.max_message_bytes",
    "json_depth",
    "server.max_subscriptions_per_session",
    "server.max_subscription_uri_bytes",
    "server.call_timeout_ms",
    "server.max_abandoned_workers",
};

// The limit behind an HTTP refusal reason; empty for refusals that are no limit (a client that hung up, a
// body that could not be read).
std::string_view limit_of_refusal(std::string_view reason) {
  static constexpr std::pair<std::string_view, std::string_view> kByReason[] = {
      {"body_too_large", "http.max_body_bytes"},
      {"body_timeout", "http.body_timeout_ms"},
      {"header_too_large", "http.max_header_bytes"},
      {"header_timeout", "http.header_timeout_ms"},
      {"tls_handshake_timeout", "http.header_timeout_ms"},
      {"connections_per_client", "http.max_connections_per_client"},
      {"sessions", "http.max_sessions"},
      {"sessions_per_client", "http.max_sessions_per_client"},
      {"calls_per_session", "http.max_calls_per_session"},
  };
  for (const auto& [name, limit] : kByReason)
    if (name == reason) return limit;
  return {};
}

std::string number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

}  // namespace

Metrics::Metrics() {
  for (const auto limit : kLimits) limit_breaches_.emplace(std::string(limit), 0);
}

void Metrics::count_request(std::string_view method, int status) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(method), status}];
}

void Metrics::count_refusal(std::string_view reason) {
  std::lock_guard lock(mutex_);
  auto it = refusals_.find(reason);
  if (it == refusals_.end()) it = refusals_.emplace(std::string(reason), 0).first;
  ++it->second;
  if (const auto limit = limit_of_refusal(reason); !limit.empty()) ++limit_breaches_[std::string(limit)];
}

void Metrics::count_limit_breach(std::string_view limit) {
  std::lock_guard lock(mutex_);
  auto it = limit_breaches_.find(limit);
  if (it == limit_breaches_.end()) it = limit_breaches_.emplace(std::string(limit), 0).first;
  ++it->second;
}

void Metrics::count_session_eviction() {
  std::lock_guard lock(mutex_);
  ++session_evictions_;
}

void Metrics::observe_tool_call(std::string_view tool, std::string_view outcome,
                                std::chrono::steady_clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  std::lock_guard lock(mutex_);
  ++tool_calls_[{std::string(tool), std::string(outcome)}];
  auto& histogram = durations_[std::string(tool)];
  ++histogram.count;
  histogram.sum += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      ++histogram.buckets[i];
      break;
    }
}

std::string Metrics::render(const registry::RegistrySnapshot& snapshot, std::size_t sessions) const {
  std::string out;
  std::lock_guard lock(mutex_);

  prometheus_header(out, "mcpd_http_requests_total", "counter",
                    "HTTP requests answered, by method and status code.");
  for (const auto& [key, count] : requests_)
    out += "mcpd_http_requests_total{method=\"" + prometheus_label(key.first) + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";

  prometheus_header(out, "mcpd_http_refusals_total", "counter",
                    "Requests and connections refused by a limit, by the limit (see docs/http.md#limits).");
  for (const auto& [reason, count] : refusals_)
    out += "mcpd_http_refusals_total{reason=\"" + prometheus_label(reason) + "\"} " + std::to_string(count) +
           "\n";

  prometheus_header(out, "mcpd_limit_breaches_total", "counter",
                    "Requests, connections and calls refused or ended by a limit, over every transport, by "
                    "the setting that sets it (json_depth has none; see docs/security.md#limits).");
  for (const auto& [limit, count] : limit_breaches_)
    out += "mcpd_limit_breaches_total{limit=\"" + prometheus_label(limit) + "\"} " + std::to_string(count) +
           "\n";

  prometheus_header(
      out, "mcpd_tool_calls_total", "counter",
      "Tool calls by tool and outcome (ok, error, rpc_error, cancelled, timeout), over every transport.");
  for (const auto& [key, count] : tool_calls_)
    out += "mcpd_tool_calls_total{tool=\"" + prometheus_label(key.first) + "\",outcome=\"" +
           prometheus_label(key.second) + "\"} " + std::to_string(count) + "\n";

  prometheus_header(out, "mcpd_tool_call_duration_seconds", "histogram",
                    "Time from the start of a tool call to its result.");
  for (const auto& [tool, histogram] : durations_) {
    const std::string label = "tool=\"" + prometheus_label(tool) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += histogram.buckets[i];
      out += "mcpd_tool_call_duration_seconds_bucket{" + label + ",le=\"" + number(kBuckets[i]) + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "mcpd_tool_call_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(histogram.count) + "\n";
    out += "mcpd_tool_call_duration_seconds_sum{" + label + "} " + number(histogram.sum) + "\n";
    out += "mcpd_tool_call_duration_seconds_count{" + label + "} " + std::to_string(histogram.count) + "\n";
  }

  prometheus_header(out, "mcpd_sessions", "gauge", "Live Streamable HTTP sessions.");
  out += "mcpd_sessions " + std::to_string(sessions) + "\n";

  prometheus_header(out, "mcpd_http_sessions_evicted_total", "counter",
                    "Idle sessions closed to make room for a new session (http.max_sessions, "
                    "http.max_sessions_per_client).");
  out += "mcpd_http_sessions_evicted_total " + std::to_string(session_evictions_) + "\n";

  prometheus_header(out, "mcpd_plugin_info", "gauge", "Loaded plugins, by namespace and version (always 1).");
  for (const auto& plugin : snapshot.plugins())
    out += "mcpd_plugin_info{namespace=\"" + prometheus_label(plugin->info().plugin_namespace) +
           "\",version=\"" + prometheus_label(plugin->info().version) + "\"} 1\n";
  return out;
}

}  // namespace mcpd::transport::http
