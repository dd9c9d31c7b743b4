// Instance selection and the robustness rules every tool shares: unknown instances, missing settings,
// US/EU/self-hosted hosts, the client-side rate limiter, and secrets never shown.
#include <thread>

#include "fault_latency.hpp"
#include "tracking_harness.hpp"

using namespace tracking_test;
using namespace std::chrono_literals;

TEST_CASE("an unknown instance is an error that lists the configured ones", "[instances]") {
  FakePosthog fake;
  auto section = tracking_section(fake);
  section["instances"].as_object()["eu"] = json::object{{"api_host", "https://eu.posthog.com"}};
  auto mcpd = start_mcpd(section);
  const auto text =
      call_error(*mcpd, "tracking.capture", {{"event", "e"}, {"distinct_id", "u"}, {"instance", "staging"}});
  CHECK(text.find("unknown PostHog instance \"staging\"") != std::string::npos);
  CHECK(text.find("Configured instances: default, eu") != std::string::npos);
}

TEST_CASE("a named instance is used when the call names it", "[instances]") {
  FakePosthog primary;
  FakePosthog secondary;
  auto section = tracking_section(primary);
  section["instances"].as_object()["second"] = json::object{{"api_host", secondary.base_url()},
                                                            {"project_api_key", FakePosthog::kProjectKey},
                                                            {"personal_api_key", FakePosthog::kPersonalKey},
                                                            {"project_id", FakePosthog::kProjectId}};
  auto mcpd = start_mcpd(section);
  call_ok(*mcpd, "tracking.capture", {{"event", "e"}, {"distinct_id", "u"}, {"instance", "second"}});
  CHECK(primary.request_count(kBatch) == 0);
  CHECK(secondary.request_count(kBatch) == 1);
  call_ok(*mcpd, "tracking.sessions_list", {{"instance", "second"}});
  CHECK(secondary.request_count(kCurrentProject) == 0);  // project_id configured: no @current lookup
  CHECK(secondary.requests(kQuery).at(0).target == "/api/projects/4242/query/");
}

TEST_CASE("a tool that needs the personal key names the setting when it is missing", "[instances]") {
  FakePosthog fake;
  auto section = tracking_section(fake);
  section["instances"].as_object()["default"].as_object().erase("personal_api_key");
  auto mcpd = start_mcpd(section);
  for (const char* tool :
       {"tracking.sessions_list", "tracking.recordings_list", "tracking.feature_flags_list"}) {
    const auto text = call_error(*mcpd, tool, {});
    INFO(text);
    CHECK(text.find("has no personal_api_key") != std::string::npos);
    CHECK(text.find("plugin_config.tracking.instances.default.personal_api_key") != std::string::npos);
  }
  const auto text =
      call_error(*mcpd, "tracking.funnels_run", {{"steps", {{{"event", "a"}}, {{"event", "b"}}}}});
  CHECK(text.find("personal_api_key") != std::string::npos);
  CHECK(fake.request_count("") == 0);
}

TEST_CASE("a self-hosted api_host serves both ingestion and the private API", "[instances]") {
  FakePosthog fake;
  // Not PostHog Cloud, so events go to api_host itself; trailing slashes must not double up in paths.
  auto mcpd = start_mcpd(
      tracking_section(fake, {{"instances", {{"default", {{"api_host", fake.base_url() + "//"}}}}}}));
  call_ok(*mcpd, "tracking.capture", {{"event", "e"}, {"distinct_id", "u"}});
  call_ok(*mcpd, "tracking.feature_flags_list", {});
  CHECK(fake.requests(kBatch).at(0).target == "/batch/");
  CHECK(fake.requests(kFeatureFlags).at(0).target.starts_with("/api/projects/4242/feature_flags/?"));
}

TEST_CASE("the client-side rate limiter caps personal-key requests per instance", "[instances][rate_limit]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(
      fake, {{"instances",
              {{"default", {{"rate_limit_per_minute", 3}, {"project_id", FakePosthog::kProjectId}}}}}}));
  call_ok(*mcpd, "tracking.feature_flags_list", {});
  call_ok(*mcpd, "tracking.feature_flags_list", {});
  call_ok(*mcpd, "tracking.feature_flags_list", {});
  const auto text = call_error(*mcpd, "tracking.feature_flags_list", {});
  CHECK(text.find("client-side rate limit") != std::string::npos);
  CHECK(text.find("retry after") != std::string::npos);
  CHECK(text.find("rate_limit_per_minute") != std::string::npos);
  CHECK(fake.request_count(kFeatureFlags) == 3);
  // Ingestion uses the project key, which PostHog does not rate limit: still allowed.
  call_ok(*mcpd, "tracking.capture", {{"event", "e"}, {"distinct_id", "u"}});
}

TEST_CASE("a 5xx that outlasts the retries says so and how often it tried", "[errors]") {
  FakePosthog fake;
  fake.inject(kFeatureFlags, Fault::http(500), 3);
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto text = call_error(*mcpd, "tracking.feature_flags_list", {});
  CHECK(text.find("server error (HTTP 500) after 3 attempts") != std::string::npos);
  CHECK(text.find("A server error occurred.") != std::string::npos);
  CHECK(fake.request_count(kFeatureFlags) == 3);
}

TEST_CASE("404 and 403 on the private API say what to check", "[errors]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake));
  fake.inject(kFeatureFlags, Fault::http(404));
  auto text = call_error(*mcpd, "tracking.feature_flags_list", {});
  CHECK(text.find("HTTP 404") != std::string::npos);
  CHECK(text.find("project_id") != std::string::npos);
  fake.inject(
      kFeatureFlags,
      Fault::http(
          403,
          R"({"type":"authentication_error","code":"permission_denied","detail":"API key missing required scope 'feature_flag:read'"})"));
  text = call_error(*mcpd, "tracking.feature_flags_list", {});
  CHECK(text.find("missing the scope \"feature_flag:read\"") != std::string::npos);
}

TEST_CASE("secrets never reach results, errors or the log", "[errors][secrets]") {
  FakePosthog fake;
  // An upstream that echoes the key it refused, and one that fails with the key in a 500 body.
  fake.inject(kBatch,
              Fault::http(401, std::string(R"({"detail":"bad key )") + FakePosthog::kProjectKey + "\"}"));
  fake.inject(kQuery,
              Fault::http(500, std::string(R"({"detail":"crash with )") + FakePosthog::kPersonalKey + "\"}"),
              3);
  fake.inject(kDefinitions,
              Fault::http(400, std::string(R"({"detail":"token=)") + FakePosthog::kProjectKey + "\"}"));
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto capture = call_error(*mcpd, "tracking.capture", {{"event", "e"}, {"distinct_id", "u"}});
  CHECK(capture.find("[redacted]") != std::string::npos);
  const auto sessions = call_error(*mcpd, "tracking.sessions_list", {});
  CHECK(sessions.find("[redacted]") != std::string::npos);
  const auto flags =
      call_error(*mcpd, "tracking.feature_flag_eval", {{"distinct_id", "u"}, {"mode", "local"}});
  CHECK(flags.find("[redacted]") != std::string::npos);
  mcpd->expect_ping_answered();
  const auto log = mcpd->process().stderr_text();
  CHECK(log.find("retry") != std::string::npos);  // retries were logged...
  CHECK_FALSE(leaks_secret(log));                 // ...without the keys
}

TEST_CASE(
    "PostHog answering 401, 429 and 500 with bodies that echo the keys: no secret anywhere, ping unharmed",
    "[errors][secrets][faults]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake));
  call_ok(*mcpd, "tracking.sessions_list", {});  // the project is resolved (and kept) before the faults
  const auto ping = [&] { mcpd->expect_ping_answered(); };
  const auto idle = mcpd_test::median_latency(ping);

  // Each error comes after a second, so that the calls are waiting on the faulty upstream while the
  // well-behaved client is measured; 429 and 500 are retried, 401 is not.
  const std::string echoed = std::string("you sent Authorization: Bearer ") + FakePosthog::kPersonalKey +
                             " and token " + FakePosthog::kProjectKey;
  auto too_many = Fault::retry_after_header(429, "0");
  too_many.body = R"({"type":"throttled_error","detail":"Request was throttled. )" + echoed + "\"}";
  std::vector<Fault> faults = {
      Fault::http(401, R"({"type":"authentication_error","detail":"Invalid token. )" + echoed + "\"}"),
      too_many,
      Fault::http(500, R"({"type":"server_error","detail":"A server error occurred. )" + echoed + "\"}"),
  };
  for (auto& fault : faults) fault.delay = 1000ms;
  for (int i = 0; i < 30; ++i) fake.inject(kQuery, faults[static_cast<std::size_t>(i) % faults.size()]);

  std::vector<json::value> calls;
  const auto queries_before = fake.request_count(kQuery);
  for (int i = 0; i < 4; ++i)
    calls.push_back(mcpd->send_request("tools/call",
                                       {{"name", "tracking.sessions_list"}, {"arguments", json::object{}}}));
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (fake.request_count(kQuery) < queries_before + 4 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(20ms);
  REQUIRE(fake.request_count(kQuery) >= queries_before + 4);
  const auto figures = mcpd_test::measure_under_fault(
      "PostHog answering 401/429/500 with bodies echoing the keys (4 calls waiting on it)", idle, ping);
  for (const auto& message : mcpd->backlog()) {
    for (const auto& id : calls) CHECK_FALSE(mcpd_test::has_id(message, id));  // all still waiting
  }
  for (const auto& id : calls) {
    const auto response = mcpd->await_response(id, 30s);
    INFO(json::serialize(response));
    REQUIRE(response.contains("result"));
    CHECK(mcpd_test::is_error_result(response.at("result").as_object()));
    CHECK_FALSE(leaks_secret(json::serialize(response)));
  }
  INFO(figures);
  CHECK(figures.within_bound());
  mcpd->expect_ping_answered();
  CHECK_FALSE(leaks_secret(mcpd->process().stderr_text()));
}
