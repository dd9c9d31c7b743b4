// tracking.feature_flags_list and tracking.feature_flag_eval end to end: paging, summaries, local
// evaluation checked against independently computed hashes, the fallback to /flags, ETag refreshes.
#include <thread>

#include "flag_fixtures.hpp"
#include "tracking_harness.hpp"

using namespace tracking_test;

namespace {

void load_flags(FakePosthog& fake) {
  auto flags = flag_definitions().as_array();
  flags.push_back(json::object{{"id", 99},
                               {"key", "deleted-flag"},
                               {"active", true},
                               {"deleted", true},
                               {"filters", {{"groups", json::array{}}}}});
  fake.set_flag_definitions(flags, group_type_mapping(), cohorts());
}

json::object eval(mcpd_test::McpSession& mcpd, json::object arguments) {
  return call_ok(mcpd, "tracking.feature_flag_eval", arguments);
}

json::object flag_of(const json::object& result, const std::string& key) {
  for (const auto& f : result.at("flags").as_array()) {
    if (f.at("key") == json::value(key)) return f.as_object();
  }
  FAIL("flag " << key << " missing from " << json::serialize(result));
  return {};
}

}  // namespace

TEST_CASE("feature_flags_list follows PostHog's pages and summarises each flag", "[flags][pagination]") {
  FakePosthog fake;
  load_flags(fake);
  fake.set_flags_page_size(2);
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking.feature_flags_list", {});
  const auto& flags = result.at("flags").as_array();
  CHECK(flags.size() == 11);  // the deleted flag is not listed
  CHECK(result.at("total") == 11);
  CHECK_FALSE(result.contains("next_cursor"));
  CHECK(fake.request_count(kFeatureFlags) == 6);

  const auto rollout = flags[0].as_object();
  CHECK(rollout.at("key") == "rollout-flag");
  CHECK(rollout.at("name") == "Half of everyone");
  CHECK(rollout.at("type") == "boolean");
  CHECK(rollout.at("rollout_percentage").as_double() == 50.0);
  CHECK(rollout.at("rollout_summary") == "50% of users");
  CHECK(rollout.at("tags") == json::array{"growth"});
  const auto multi = flags[1].as_object();
  CHECK(multi.at("type") == "multivariate");
  REQUIRE(multi.at("variants").as_array().size() == 3);
  CHECK(multi.at("variants").at(0) ==
        json::value(json::object{{"key", "control"}, {"rollout_percentage", 34.0}, {"name", "Control"}}));
  const auto pro = flags[2].as_object();
  CHECK(pro.at("rollout_summary") ==
        "100% of users where plan in [pro, enterprise]; 100% of users where email contains @example.com");
  CHECK_FALSE(pro.contains("rollout_percentage"));
  CHECK(flags[7].at("rollout_summary") == "30% of groups of type 0");
  CHECK(flags[4].at("rollout_summary") == "100% of users where in cohort 77");
}

TEST_CASE("feature_flags_list pages with a cursor and filters", "[flags][pagination]") {
  FakePosthog fake;
  load_flags(fake);
  auto mcpd = start_mcpd(tracking_section(fake));
  std::vector<std::string> keys;
  json::object arguments{{"limit", 4}};
  for (int page = 0; page < 10; ++page) {
    const auto result = call_ok(*mcpd, "tracking.feature_flags_list", arguments);
    for (const auto& f : result.at("flags").as_array()) keys.emplace_back(f.at("key").as_string());
    if (!result.contains("next_cursor")) break;
    arguments["cursor"] = result.at("next_cursor");
  }
  CHECK(keys.size() == 11);
  CHECK(keys.front() == "rollout-flag");
  CHECK(keys.back() == "local-cohort-flag");

  const auto disabled = call_ok(*mcpd, "tracking.feature_flags_list", {{"active", false}});
  REQUIRE(disabled.at("flags").as_array().size() == 1);
  CHECK(disabled.at("flags").at(0).at("key") == "disabled-flag");
  CHECK(disabled.at("flags").at(0).at("active") == false);
  CHECK(fake.requests(kFeatureFlags).back().params.at("active") == "false");
  const auto searched = call_ok(*mcpd, "tracking.feature_flags_list", {{"search", "THREE-WAY"}});
  REQUIRE(searched.at("flags").as_array().size() == 1);
  CHECK(searched.at("flags").at(0).at("key") == "multi-flag");
}

TEST_CASE("local evaluation buckets users exactly like PostHog's hashing", "[flags][local]") {
  FakePosthog fake;
  load_flags(fake);
  auto mcpd = start_mcpd(tracking_section(fake));
  for (const auto& vector : kRolloutVectors) {
    INFO(vector.distinct_id << " hash " << vector.hash);
    const auto result = eval(*mcpd, {{"distinct_id", vector.distinct_id},
                                     {"flag_keys", {"rollout-flag", "multi-flag"}},
                                     {"mode", "local"}});
    const auto rollout = flag_of(result, "rollout-flag");
    CHECK(rollout.at("enabled") == vector.enabled);
    CHECK(rollout.at("evaluated_by") == "local");
    CHECK(rollout.at("reason") == (vector.enabled ? "condition_match" : "out_of_rollout_bound"));
    const auto multi = flag_of(result, "multi-flag");
    CHECK(multi.at("enabled") == true);
    CHECK(multi.at("variant") == json::value(vector.variant));
    if (vector.variant == "test") {
      CHECK(multi.at("payload") == json::value(json::object{{"color", "blue"}}));
    } else {
      CHECK_FALSE(multi.contains("payload"));
    }
  }
  CHECK(fake.request_count(kFlags) == 0);        // no remote evaluation at all
  CHECK(fake.request_count(kDefinitions) == 1);  // definitions fetched once, then cached
  const auto request = fake.requests(kDefinitions).at(0);
  CHECK(request.authorization == std::string("Bearer ") + FakePosthog::kPersonalKey);
  CHECK(request.params.at("token") == FakePosthog::kProjectKey);
  CHECK(request.params.contains("send_cohorts"));
}

TEST_CASE("local evaluation applies property operators, cohorts, groups and overrides", "[flags][local]") {
  FakePosthog fake;
  load_flags(fake);
  auto mcpd = start_mcpd(tracking_section(fake));
  auto one = [&](json::object arguments, const std::string& key) {
    arguments["flag_keys"] = json::array{json::string(key)};
    arguments["mode"] = "local";
    return flag_of(eval(*mcpd, arguments), key);
  };
  auto pro = one({{"distinct_id", "u1"}, {"person_properties", {{"plan", "Enterprise"}}}}, "pro-flag");
  CHECK(pro.at("enabled") == true);
  CHECK(pro.at("condition_index") == 0);
  CHECK(pro.at("payload") == json::value(json::object{{"tier", 2}}));
  pro = one({{"distinct_id", "u1"}, {"person_properties", {{"plan", "free"}, {"email", "Ann@EXAMPLE.com"}}}},
            "pro-flag");
  CHECK(pro.at("enabled") == true);
  CHECK(pro.at("condition_index") == 1);
  pro = one({{"distinct_id", "u1"}, {"person_properties", {{"plan", "free"}, {"email", "ann@other.org"}}}},
            "pro-flag");
  CHECK(pro.at("enabled") == false);
  CHECK(pro.at("reason") == "no_condition_match");

  CHECK(one({{"distinct_id", "u"}, {"person_properties", {{"app_version", "1.10.0"}}}}, "version-flag")
            .at("enabled") == true);
  CHECK(one({{"distinct_id", "u"}, {"person_properties", {{"app_version", "1.1.9"}}}}, "version-flag")
            .at("enabled") == false);
  CHECK(one({{"distinct_id", "u"}, {"person_properties", {{"signup_date", "2023-06-30T10:00:00Z"}}}},
            "date-flag")
            .at("enabled") == true);
  CHECK(one({{"distinct_id", "u"}, {"person_properties", {{"signup_date", "2024-06-30"}}}}, "date-flag")
            .at("enabled") == false);
  CHECK(one({{"distinct_id", "u"}, {"person_properties", {{"country", "DE"}}}}, "local-cohort-flag")
            .at("enabled") == true);
  CHECK(one({{"distinct_id", "u"}, {"person_properties", {{"country", "FR"}}}}, "local-cohort-flag")
            .at("enabled") == false);

  const auto acme = one({{"distinct_id", "u"}, {"groups", {{"company", "acme"}}}}, "group-flag");
  CHECK(acme.at("enabled") == true);
  const auto globex = one({{"distinct_id", "u"}, {"groups", {{"company", "globex"}}}}, "group-flag");
  CHECK(globex.at("enabled") == false);
  CHECK(globex.at("reason") == "out_of_rollout_bound");
  CHECK(one({{"distinct_id", "u"}}, "group-flag").at("reason") == "no_group_type");

  const auto beta = one({{"distinct_id", "u"}, {"person_properties", {{"beta", true}}}}, "override-flag");
  CHECK(beta.at("variant") == "b");
  CHECK(beta.at("condition_index") == 1);
  CHECK(
      one({{"distinct_id", "u"}, {"person_properties", {{"beta", false}}}}, "override-flag").at("variant") ==
      "a");

  const auto disabled = one({{"distinct_id", "u"}}, "disabled-flag");
  CHECK(disabled.at("enabled") == false);
  CHECK(disabled.at("reason") == "flag_disabled");
  CHECK(fake.request_count(kFlags) == 0);
}

TEST_CASE("local mode reports what it cannot decide as inconclusive", "[flags][local]") {
  FakePosthog fake;
  load_flags(fake);
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = eval(*mcpd, {{"distinct_id", "u"},
                                   {"flag_keys", {"pro-flag", "cohort-flag", "continuity-flag", "nope"}},
                                   {"mode", "local"}});
  const auto pro = flag_of(result, "pro-flag");
  CHECK(pro.at("enabled") == false);
  CHECK(std::string(pro.at("reason").as_string()).starts_with("inconclusive: "));
  CHECK(std::string(flag_of(result, "cohort-flag").at("reason").as_string()).find("cohort 77") !=
        std::string::npos);
  CHECK(std::string(flag_of(result, "continuity-flag").at("reason").as_string()).find("continuity") !=
        std::string::npos);
  CHECK(flag_of(result, "nope").at("reason") == "flag_not_found");
  CHECK(fake.request_count(kFlags) == 0);
}

TEST_CASE("auto mode answers locally and asks /flags only for what local evaluation cannot know",
          "[flags][auto]") {
  FakePosthog fake;
  load_flags(fake);
  fake.set_remote_flag(
      "user_1", "cohort-flag",
      {{"enabled", true},
       {"reason", {{"code", "condition_match"}, {"condition_index", 0}, {"description", "Matched"}}}});
  fake.set_remote_flag(
      "user_1", "pro-flag",
      {{"enabled", true}, {"reason", {{"code", "condition_match"}, {"condition_index", 0}}}});
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = eval(*mcpd, {{"distinct_id", "user_1"}});  // every active flag
  CHECK(flag_of(result, "rollout-flag").at("evaluated_by") == "local");
  CHECK(flag_of(result, "rollout-flag").at("enabled") == true);
  const auto cohort = flag_of(result, "cohort-flag");
  CHECK(cohort.at("evaluated_by") == "remote");
  CHECK(cohort.at("enabled") == true);
  CHECK(cohort.at("reason") == "condition_match");
  CHECK(flag_of(result, "pro-flag").at("evaluated_by") == "remote");  // plan and email not supplied
  CHECK(flag_of(result, "continuity-flag").at("evaluated_by") == "remote");
  for (const auto& f : result.at("flags").as_array()) CHECK(f.at("key") != "disabled-flag");
  CHECK(result.at("request_id") == "0190b5c6-7a3e-7c1d-9e2f-000000000001");
  CHECK(result.at("errors_while_computing") == false);

  const auto requests = fake.requests(kFlags);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].target == "/flags/?v=2");
  const auto body = json::parse(requests[0].body).as_object();
  CHECK(body.at("api_key") == FakePosthog::kProjectKey);
  CHECK(body.at("distinct_id") == "user_1");
  std::set<std::string> asked;
  for (const auto& k : body.at("flag_keys_to_evaluate").as_array()) asked.insert(std::string(k.as_string()));
  // local-cohort-flag also needs "country", which was not supplied.
  // group-flag is decided locally (no group given: no_group_type), override-flag too (its beta condition is
  // open, but the unconditional one matches).
  CHECK(asked == std::set<std::string>{"pro-flag", "cohort-flag", "continuity-flag", "version-flag",
                                       "date-flag", "local-cohort-flag"});
  CHECK(flag_of(result, "group-flag").at("evaluated_by") == "local");
  CHECK(flag_of(result, "override-flag").at("variant") == "a");
}

TEST_CASE("remote mode asks /flags with the person and group context", "[flags][remote]") {
  FakePosthog fake;
  load_flags(fake);
  fake.set_errors_while_computing(true);
  fake.set_remote_flag("u9", "multi-flag",
                       {{"enabled", true},
                        {"variant", "test"},
                        {"reason", {{"code", "condition_match"}, {"condition_index", 0}}},
                        {"metadata", {{"id", 2}, {"version", 3}, {"payload", "{\"color\": \"blue\"}"}}}});
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = eval(*mcpd, {{"distinct_id", "u9"},
                                   {"flag_keys", {"multi-flag", "rollout-flag", "no-such-flag"}},
                                   {"person_properties", {{"plan", "pro"}}},
                                   {"groups", {{"company", "acme"}}},
                                   {"group_properties", {{"company", {{"seats", 40}}}}},
                                   {"mode", "remote"}});
  const auto multi = flag_of(result, "multi-flag");
  CHECK(multi.at("variant") == "test");
  CHECK(multi.at("payload") == json::value(json::object{{"color", "blue"}}));
  CHECK(multi.at("evaluated_by") == "remote");
  CHECK(flag_of(result, "rollout-flag").at("reason") == "no_condition_match");
  CHECK(flag_of(result, "no-such-flag").at("reason") == "flag_not_found");
  CHECK(result.at("errors_while_computing") == true);
  CHECK(result.at("flags").at(0).at("key") == "multi-flag");  // in the order asked
  const auto body = json::parse(fake.requests(kFlags).at(0).body).as_object();
  CHECK(body.at("person_properties").at("plan") == "pro");
  CHECK(body.at("groups").at("company") == "acme");
  CHECK(body.at("group_properties").at("company").at("seats") == 40);
  CHECK(fake.request_count(kDefinitions) == 0);
}

TEST_CASE("definitions are refreshed with If-None-Match and a 304 keeps them", "[flags][local]") {
  FakePosthog fake;
  load_flags(fake);
  auto mcpd = start_mcpd(tracking_section(fake, {{"feature_flags", {{"definitions_refresh_ms", 1000}}}}));
  const json::object arguments{{"distinct_id", "user_1"}, {"flag_keys", {"rollout-flag"}}, {"mode", "local"}};
  CHECK(flag_of(eval(*mcpd, arguments), "rollout-flag").at("enabled") == true);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  CHECK(flag_of(eval(*mcpd, arguments), "rollout-flag").at("enabled") == true);
  const auto requests = fake.requests(kDefinitions);
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].if_none_match.empty());
  CHECK_FALSE(requests[1].if_none_match.empty());

  // A changed definition is picked up at the next refresh.
  auto flags = flag_definitions().as_array();
  flags[0].as_object()["active"] = false;
  fake.set_flag_definitions(flags, group_type_mapping(), cohorts());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  CHECK(flag_of(eval(*mcpd, arguments), "rollout-flag").at("reason") == "flag_disabled");
}

TEST_CASE("without usable definitions auto falls back to /flags and local mode explains why",
          "[flags][errors]") {
  FakePosthog fake;
  load_flags(fake);
  fake.set_scopes({"project:read"});  // no feature_flag:read
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = eval(*mcpd, {{"distinct_id", "user_1"}, {"flag_keys", {"rollout-flag"}}});
  CHECK(flag_of(result, "rollout-flag").at("evaluated_by") == "remote");
  const auto text =
      call_error(*mcpd, "tracking.feature_flag_eval",
                 {{"distinct_id", "user_1"}, {"flag_keys", {"rollout-flag"}}, {"mode", "local"}});
  CHECK(text.find("flag definitions") != std::string::npos);
  CHECK(text.find("\"feature_flag:read\"") != std::string::npos);
}

TEST_CASE("without a personal key auto is remote and local names the missing setting", "[flags][errors]") {
  FakePosthog fake;
  load_flags(fake);
  auto section = tracking_section(fake);
  section["instances"].as_object()["default"].as_object().erase("personal_api_key");
  auto mcpd = start_mcpd(section);
  const auto result = eval(*mcpd, {{"distinct_id", "user_1"}, {"flag_keys", {"rollout-flag"}}});
  CHECK(flag_of(result, "rollout-flag").at("evaluated_by") == "remote");
  CHECK(fake.request_count(kDefinitions) == 0);
  const auto text =
      call_error(*mcpd, "tracking.feature_flag_eval", {{"distinct_id", "u"}, {"mode", "local"}});
  CHECK(text.find("personal_api_key") != std::string::npos);
  CHECK(text.find("POSTHOG_PERSONAL_API_KEY") != std::string::npos);
}

TEST_CASE("a flag whose regex RE2 cannot take answers with that flag's evaluation error", "[flags][regex]") {
  FakePosthog fake;
  fake.set_flag_definitions(json::array{json::object{
      {"id", 5},
      {"key", "lookbehind-flag"},
      {"active", true},
      {"filters",
       {{"groups", json::array{json::object{
                       {"properties", json::array{json::object{{"key", "email"},
                                                               {"value", "(?<!test)@example\\.com$"},
                                                               {"operator", "regex"},
                                                               {"type", "person"}}}},
                       {"rollout_percentage", 100}}}}}}}});
  auto mcpd = start_mcpd(tracking_section(fake));
  for (const char* mode : {"local", "auto"}) {
    INFO(mode);
    const auto result = eval(*mcpd, {{"distinct_id", "u"},
                                     {"person_properties", {{"email", "ann@example.com"}}},
                                     {"flag_keys", {"lookbehind-flag"}},
                                     {"mode", mode}});
    const auto flag = flag_of(result, "lookbehind-flag");
    CHECK(flag.at("enabled") == false);
    CHECK(flag.at("reason") == "evaluation_error");
    CHECK(flag.at("evaluated_by") == "local");
    const std::string error(flag.at("error").as_string());
    CHECK(error.find("(?<!test)@example\\.com$") != std::string::npos);
    CHECK(error.find("RE2") != std::string::npos);
  }
  CHECK(fake.request_count(kFlags) == 0);
}
