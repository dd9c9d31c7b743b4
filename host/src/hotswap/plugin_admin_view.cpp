#include "hotswap/plugin_admin_view.hpp"

#include <cstdio>

#include "util/prometheus_text.hpp"

namespace mcpd::hotswap {
namespace json = boost::json;

namespace {

std::string seconds_text(std::chrono::system_clock::time_point t) {
  const double s = std::chrono::duration<double>(t.time_since_epoch()).count();
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", s);
  return text;
}

}  // namespace

json::object plugin_state_json(const PluginAdminView& view) {
  json::array plugins;
  for (const auto& s : view.serving) {
    plugins.push_back(json::object{{"namespace", s.plugin_namespace},
                                   {"version", s.version},
                                   {"file", s.file.string()},
                                   {"loaded_from", s.loaded_from.string()},
                                   {"sha256", s.sha256},
                                   {"signature", s.signature},
                                   {"loaded_at", iso_time(s.loaded_at)},
                                   {"calls_in_flight", s.calls_in_flight},
                                   {"health", s.stuck_calls == 0 ? "ok" : "unhealthy"},
                                   {"stuck_calls", s.stuck_calls},
                                   {"calls_over_deadline_total", s.calls_over_deadline}});
  }
  json::array retired_versions;
  for (const auto& r : view.retired) {
    retired_versions.push_back(json::object{{"namespace", r.plugin_namespace},
                                            {"version", r.version},
                                            {"file", r.file.string()},
                                            {"loaded_from", r.loaded_from.string()},
                                            {"retired_at", iso_time(r.retired_at)},
                                            {"calls_in_flight", r.calls_in_flight},
                                            {"stuck_calls", r.stuck_calls},
                                            {"state", !r.unloadable           ? "cannot be unloaded"
                                                      : r.calls_in_flight > 0 ? "draining"
                                                                              : "unloading"}});
  }
  json::array refused;
  for (const auto& r : view.refused) {
    json::object o{{"file", r.file.string()}, {"reason", r.reason}, {"at", iso_time(r.at)}};
    if (!r.kept.empty()) o["kept"] = r.kept;
    refused.push_back(std::move(o));
  }
  json::array waiting;
  for (const auto& [file, why] : view.waiting)
    waiting.push_back(json::object{{"file", file.string()}, {"reason", why}});
  json::array warnings;
  for (const auto& w : view.warnings) warnings.emplace_back(w);
  json::array keys;
  for (const auto& k : view.trusted_key_ids) keys.emplace_back(k);
  const std::size_t resident = view.retired.size();
  json::object state{{"generation", view.generation},
                     {"hot_swap", view.hot_swap},
                     {"staging_dir", view.staging_dir},
                     {"require_signed", view.require_signed},
                     {"trusted_keys", std::move(keys)},
                     {"plugins", std::move(plugins)},
                     {"refused", std::move(refused)},
                     {"waiting", std::move(waiting)},
                     {"warnings", std::move(warnings)},
                     {"retired", std::move(retired_versions)},
                     {"retired_resident", resident},
                     {"max_retired_resident", view.max_retired_resident},
                     {"over_limit", resident > view.max_retired_resident},
                     {"unloaded_total", view.unloads_total},
                     {"unload_failures_total", view.unload_failures_total}};
  if (!view.staging_problem.empty()) state["staging_problem"] = view.staging_problem;
  if (view.last_reload) state["last_reload"] = view.last_reload->to_json();
  return state;
}

std::string plugin_metrics_text(const PluginAdminView& view) {
  std::string out;
  prometheus_header(out, "mcpd_plugin_loaded_timestamp_seconds", "gauge",
                    "When the serving version of each plugin was loaded (Unix time).");
  for (const auto& s : view.serving)
    out += "mcpd_plugin_loaded_timestamp_seconds{namespace=\"" + prometheus_label(s.plugin_namespace) +
           "\",version=\"" + prometheus_label(s.version) + "\"} " + seconds_text(s.loaded_at) + "\n";
  prometheus_header(out, "mcpd_plugin_calls_in_flight", "gauge",
                    "Requests running a handler, by plugin version; state is serving or retired.");
  for (const auto& s : view.serving)
    out += "mcpd_plugin_calls_in_flight{namespace=\"" + prometheus_label(s.plugin_namespace) +
           "\",version=\"" + prometheus_label(s.version) + "\",state=\"serving\"} " +
           std::to_string(s.calls_in_flight) + "\n";
  for (const auto& r : view.retired)
    out += "mcpd_plugin_calls_in_flight{namespace=\"" + prometheus_label(r.plugin_namespace) +
           "\",version=\"" + prometheus_label(r.version) + "\",state=\"retired\"} " +
           std::to_string(r.calls_in_flight) + "\n";
  prometheus_header(out, "mcpd_plugin_stuck_calls", "gauge",
                    "Calls past server.call_timeout_ms still running plugin code, by plugin version; above 0 "
                    "the version is unhealthy.");
  for (const auto& s : view.serving)
    out += "mcpd_plugin_stuck_calls{namespace=\"" + prometheus_label(s.plugin_namespace) + "\",version=\"" +
           prometheus_label(s.version) + "\",state=\"serving\"} " + std::to_string(s.stuck_calls) + "\n";
  for (const auto& r : view.retired)
    out += "mcpd_plugin_stuck_calls{namespace=\"" + prometheus_label(r.plugin_namespace) + "\",version=\"" +
           prometheus_label(r.version) + "\",state=\"retired\"} " + std::to_string(r.stuck_calls) + "\n";
  prometheus_header(out, "mcpd_plugin_calls_over_deadline_total", "counter",
                    "Calls answered with the server.call_timeout_ms error, by serving plugin version.");
  for (const auto& s : view.serving)
    out += "mcpd_plugin_calls_over_deadline_total{namespace=\"" + prometheus_label(s.plugin_namespace) +
           "\",version=\"" + prometheus_label(s.version) + "\"} " + std::to_string(s.calls_over_deadline) +
           "\n";
  prometheus_header(out, "mcpd_plugin_retired_resident", "gauge",
                    "Replaced or removed plugin versions still in memory (draining, or not unloadable).");
  out += "mcpd_plugin_retired_resident " + std::to_string(view.retired.size()) + "\n";
  prometheus_header(out, "mcpd_plugin_retired_resident_limit", "gauge", "plugins.max_retired_resident.");
  out += "mcpd_plugin_retired_resident_limit " + std::to_string(view.max_retired_resident) + "\n";
  prometheus_header(out, "mcpd_plugin_generation", "gauge",
                    "Registry snapshots published (1 after startup).");
  out += "mcpd_plugin_generation " + std::to_string(view.generation) + "\n";
  prometheus_header(out, "mcpd_plugin_reloads_total", "counter",
                    "Plugin reloads by trigger and outcome (published, unchanged).");
  for (const auto& [key, count] : view.reloads_total)
    out += "mcpd_plugin_reloads_total{trigger=\"" + prometheus_label(key.first) + "\",outcome=\"" +
           prometheus_label(key.second) + "\"} " + std::to_string(count) + "\n";
  prometheus_header(out, "mcpd_plugin_refusals_total", "counter", "Plugin files refused by reloads.");
  out += "mcpd_plugin_refusals_total " + std::to_string(view.refusals_total) + "\n";
  prometheus_header(out, "mcpd_plugin_refused", "gauge",
                    "Files refused at the last reload (1 each), by file.");
  for (const auto& r : view.refused)
    out += "mcpd_plugin_refused{file=\"" + prometheus_label(r.file.string()) + "\"} 1\n";
  prometheus_header(out, "mcpd_plugin_unloads_total", "counter",
                    "Plugin versions destroyed, by whether their library left the process.");
  out += "mcpd_plugin_unloads_total{result=\"unloaded\"} " + std::to_string(view.unloads_total) + "\n";
  out += "mcpd_plugin_unloads_total{result=\"still_mapped\"} " + std::to_string(view.unload_failures_total) +
         "\n";
  if (view.last_reload && view.last_reload->published) {
    prometheus_header(out, "mcpd_plugin_last_swap_latency_seconds", "gauge",
                      "From the trigger of the last reload that published to the publication.");
    char text[32];
    std::snprintf(text, sizeof text, "%.6f", static_cast<double>(view.last_reload->latency.count()) / 1e6);
    out += std::string("mcpd_plugin_last_swap_latency_seconds ") + text + "\n";
  }
  return out;
}

}  // namespace mcpd::hotswap
