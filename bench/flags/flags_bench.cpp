// Feature flag evaluations per second: local (cached definitions, PostHog's hashing in the plugin) against
// remote (/flags?v=2 for every evaluation), both through `mcpd serve --stdio` against FakePosthog on
// loopback, in the same run. Also the evaluator alone, in process, for the cost without MCP around it.
//
//   tracking_flags_bench [--calls 2000] [--evaluations 1000000]
//
// Loopback makes the remote path look cheap: against PostHog Cloud each remote evaluation adds a network
// round trip (typically 20-150 ms), while the local path stays where it is measured here.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fake_posthog.hpp"
#include "flags/flag_definitions.hpp"
#include "flags/local_evaluator.hpp"
#include "mcp_session.hpp"

namespace json = boost::json;
using clock_type = std::chrono::steady_clock;

namespace {

// Ten flags of the kinds real projects have: rollouts, property conditions, variants.
json::array bench_flags() {
  json::array flags;
  for (int i = 0; i < 10; ++i) {
    json::object filters;
    json::array properties;
    if (i % 3 == 1)
      properties.push_back({{"key", "plan"},
                            {"value", json::array{"pro", "team"}},
                            {"operator", "exact"},
                            {"type", "person"}});
    if (i % 3 == 2)
      properties.push_back(
          {{"key", "email"}, {"value", "@example.com"}, {"operator", "icontains"}, {"type", "person"}});
    filters["groups"] =
        json::array{json::object{{"properties", properties}, {"rollout_percentage", 10 * (i + 1)}}};
    if (i % 2 == 0) {
      filters["multivariate"] =
          json::object{{"variants", json::array{json::object{{"key", "control"}, {"rollout_percentage", 50}},
                                                json::object{{"key", "test"}, {"rollout_percentage", 50}}}}};
    }
    flags.push_back(json::object{{"id", i + 1},
                                 {"key", "flag-" + std::to_string(i)},
                                 {"active", true},
                                 {"deleted", false},
                                 {"filters", std::move(filters)}});
  }
  return flags;
}

struct rate {
  double per_second;
  double mean_us;
};

rate measure_calls(mcpd_test::McpSession& mcpd, const std::string& mode, int calls) {
  const json::object person{{"plan", "pro"}, {"email", "someone@example.com"}};
  const auto started = clock_type::now();
  for (int i = 0; i < calls; ++i) {
    const auto result =
        mcpd.call_tool_result("tracking.feature_flag_eval", {{"distinct_id", "user-" + std::to_string(i)},
                                                             {"flag_keys", {"flag-3"}},
                                                             {"person_properties", person},
                                                             {"mode", mode}});
    if (mcpd_test::is_error_result(result)) {
      std::fprintf(stderr, "%s evaluation failed: %s\n", mode.c_str(), mcpd_test::text_of(result).c_str());
      std::exit(1);
    }
  }
  const std::chrono::duration<double> elapsed = clock_type::now() - started;
  return {calls / elapsed.count(), elapsed.count() / calls * 1e6};
}

}  // namespace

int main(int argc, char** argv) {
  int calls = 2000;
  long evaluations = 1'000'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string option = argv[i];
    if (option == "--calls")
      calls = std::atoi(argv[i + 1]);
    else if (option == "--evaluations")
      evaluations = std::atol(argv[i + 1]);
  }

  tracking_test::FakePosthog fake;
  fake.set_flag_definitions(bench_flags());

  mcpd_test::ServeOptions options;
  options.plugin_dirs = {mcpd_test::BuildPaths::shipped_plugins_dir()};
  options.config = json::object{{"plugin_config",
                                 {{"tracking",
                                   {{"instances",
                                     {{"default",
                                       {{"api_host", fake.base_url()},
                                        {"project_api_key", tracking_test::FakePosthog::kProjectKey},
                                        {"personal_api_key", tracking_test::FakePosthog::kPersonalKey},
                                        {"rate_limit_per_minute", 10000}}}}}}}}}};
  mcpd_test::McpSession mcpd(std::move(options));
  mcpd.initialize();
  measure_calls(mcpd, "local", 20);  // warm up: fetch the definitions, fault in the code
  measure_calls(mcpd, "remote", 20);

  const rate local = measure_calls(mcpd, "local", calls);
  const rate remote = measure_calls(mcpd, "remote", calls);

  const auto definitions =
      mcpd::tracking::flag_definitions::from_json(json::object{{"flags", bench_flags()}});
  const auto* flag = definitions.find("flag-3");
  mcpd::tracking::flag_evaluation_input input{
      "", {{"plan", "pro"}, {"email", "someone@example.com"}}, {}, {}};
  long enabled = 0;
  const auto started = clock_type::now();
  for (long i = 0; i < evaluations; ++i) {
    input.distinct_id = "user-" + std::to_string(i);
    enabled += mcpd::tracking::evaluate_flag_locally(*flag, definitions, input).enabled ? 1 : 0;
  }
  const std::chrono::duration<double> elapsed = clock_type::now() - started;

  std::printf(
      "feature flag evaluation, %d tool calls each, through mcpd serve --stdio, fake PostHog on 127.0.0.1\n",
      calls);
  std::printf("  local  (mode=local):  %9.0f evaluations/s  (%.1f us per call)\n", local.per_second,
              local.mean_us);
  std::printf("  remote (mode=remote): %9.0f evaluations/s  (%.1f us per call, one /flags request each)\n",
              remote.per_second, remote.mean_us);
  std::printf("  local / remote: %.1fx\n", local.per_second / remote.per_second);
  std::printf("in-process local evaluator (no MCP): %.0f evaluations/s over %ld users (%ld enabled)\n",
              evaluations / elapsed.count(), evaluations, enabled);
  std::printf("requests the fake served: /flags %zu, /flags/definitions %zu\n",
              fake.request_count(tracking_test::kFlags), fake.request_count(tracking_test::kDefinitions));
  return 0;
}
