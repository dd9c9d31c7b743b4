// tracking.recordings_list end to end: field mapping, RecordingsQuery parameters, pagination from
// has_next, one recording by id, and ids that cannot change the request path.
#include <set>

#include "tracking_harness.hpp"

using namespace tracking_test;

namespace {

constexpr std::int64_t kHour = 3'600'000;

json::object recording(const std::string& id, const std::string& distinct_id, std::int64_t start_ms) {
  return json::object{{"id", id},
                      {"distinct_id", distinct_id},
                      {"viewed", false},
                      {"recording_duration", 125},
                      {"active_seconds", 42.5},
                      {"inactive_seconds", 82.5},
                      {"start_time", drf_time(start_ms)},
                      {"end_time", drf_time(start_ms + 125'000)},
                      {"click_count", 7},
                      {"keypress_count", 30},
                      {"mouse_activity_count", 120},
                      {"console_log_count", 3},
                      {"console_warn_count", 1},
                      {"console_error_count", 2},
                      {"start_url", "https://example.com/start"},
                      {"person", json::object{{"uuid", "0190b5c6-1111-7000-8000-000000000001"}}},
                      {"ongoing", false},
                      {"activity_score", 12.5},
                      {"snapshot_source", "web"}};
}

void add_recordings(FakePosthog& fake, int count) {
  for (int i = 0; i < count; ++i) {
    fake.add_recording(
        recording("rec-" + std::to_string(i), i % 2 == 0 ? "alice" : "bob", now_ms() - (i + 1) * kHour));
  }
}

}  // namespace

TEST_CASE("recordings_list maps PostHog's fields to the tool's", "[recordings]") {
  FakePosthog fake;
  add_recordings(fake, 1);
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking.recordings_list", {});
  const auto& recordings = result.at("recordings").as_array();
  REQUIRE(recordings.size() == 1);
  const auto& r = recordings[0].as_object();
  CHECK(r.at("id") == "rec-0");
  CHECK(r.at("distinct_id") == "alice");
  CHECK(r.at("duration_ms") == 125'000);
  CHECK(r.at("active_ms") == 42'500);
  CHECK(r.at("click_count") == 7);
  CHECK(r.at("keypress_count") == 30);
  CHECK(r.at("console_error_count") == 2);
  CHECK(r.at("start_url") == "https://example.com/start");
  CHECK(r.at("ongoing") == false);
  CHECK(*parse_time_ms(std::string(r.at("end").as_string())) -
            *parse_time_ms(std::string(r.at("start").as_string())) ==
        125'000);
  CHECK(result.at("has_more") == false);

  const auto request = fake.requests(kRecordings).at(0);
  CHECK(request.authorization == std::string("Bearer ") + FakePosthog::kPersonalKey);
  CHECK(request.params.at("order") == "start_time");
  CHECK(request.params.at("limit") == "50");
  const auto from = parse_time_ms(request.params.at("date_from"));
  REQUIRE(from.has_value());
  CHECK(std::abs(now_ms() - 3 * 24 * kHour - *from) < 60'000);  // default -3d
}

TEST_CASE("recordings_list filters by distinct_id and person with RecordingsQuery parameters",
          "[recordings]") {
  FakePosthog fake;
  add_recordings(fake, 4);
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto by_user = call_ok(*mcpd, "tracking.recordings_list", {{"distinct_id", "bob"}});
  REQUIRE(by_user.at("recordings").as_array().size() == 2);
  for (const auto& r : by_user.at("recordings").as_array()) CHECK(r.at("distinct_id") == "bob");
  CHECK(fake.requests(kRecordings).back().params.at("distinct_ids") == R"(["bob"])");

  const auto by_person =
      call_ok(*mcpd, "tracking.recordings_list", {{"person_id", "0190b5c6-1111-7000-8000-000000000001"}});
  CHECK(by_person.at("recordings").as_array().size() == 4);
  CHECK(fake.requests(kRecordings).back().params.at("person_uuid") == "0190b5c6-1111-7000-8000-000000000001");
}

TEST_CASE("recordings_list pages with next_cursor from offset and has_next", "[recordings][pagination]") {
  FakePosthog fake;
  add_recordings(fake, 5);
  auto mcpd = start_mcpd(tracking_section(fake));
  std::vector<std::string> ids;
  json::object arguments{{"limit", 2}};
  for (int page = 0; page < 10; ++page) {
    const auto result = call_ok(*mcpd, "tracking.recordings_list", arguments);
    for (const auto& r : result.at("recordings").as_array()) ids.emplace_back(r.at("id").as_string());
    if (!result.at("has_more").as_bool()) break;
    arguments["cursor"] = result.at("next_cursor");
  }
  CHECK(ids == std::vector<std::string>{"rec-0", "rec-1", "rec-2", "rec-3", "rec-4"});
  const auto requests = fake.requests(kRecordings);
  REQUIRE(requests.size() == 3);
  CHECK(requests[1].params.at("offset") == "2");
  CHECK(requests[2].params.at("offset") == "4");
  CHECK(requests[0].params.at("date_from") == requests[2].params.at("date_from"));
}

TEST_CASE("recordings_list fetches one recording by id", "[recordings]") {
  FakePosthog fake;
  add_recordings(fake, 2);
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking.recordings_list", {{"recording_id", "rec-1"}});
  REQUIRE(result.at("recordings").as_array().size() == 1);
  CHECK(result.at("recordings").at(0).at("id") == "rec-1");
  CHECK(fake.requests(kRecording).at(0).target == "/api/projects/4242/session_recordings/rec-1/");
}

TEST_CASE("a recording id cannot change the request path", "[recordings][injection]") {
  FakePosthog fake;
  add_recordings(fake, 1);
  fake.add_recording(recording("a?b", "carol", now_ms() - kHour));
  fake.add_recording(recording("x/y#z", "dave", now_ms() - kHour));
  auto mcpd = start_mcpd(tracking_section(fake));

  const auto traversal = call_error(*mcpd, "tracking.recordings_list", {{"recording_id", "../../x"}});
  CHECK(traversal.find("recording \"../../x\" does not exist in project 4242") != std::string::npos);
  CHECK(traversal.find("HTTP 404") != std::string::npos);
  auto requests = fake.requests(kRecording);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].target == "/api/projects/4242/session_recordings/..%2F..%2Fx/");

  // Ids with ?, / and # reach the right recording, percent-encoded as one segment.
  const auto question = call_ok(*mcpd, "tracking.recordings_list", {{"recording_id", "a?b"}});
  CHECK(question.at("recordings").at(0).at("id") == "a?b");
  const auto slash = call_ok(*mcpd, "tracking.recordings_list", {{"recording_id", "x/y#z"}});
  CHECK(slash.at("recordings").at(0).at("distinct_id") == "dave");
  requests = fake.requests(kRecording);
  REQUIRE(requests.size() == 3);
  CHECK(requests[1].target == "/api/projects/4242/session_recordings/a%3Fb/");
  CHECK(requests[2].target == "/api/projects/4242/session_recordings/x%2Fy%23z/");
  // Nothing else was requested on the way.
  CHECK(fake.request_count("") == fake.request_count(kRecording) + fake.request_count(kCurrentProject));

  const auto dots = call_error(*mcpd, "tracking.recordings_list", {{"recording_id", ".."}});
  CHECK(dots.find("cannot be") != std::string::npos);
  CHECK(fake.request_count(kRecording) == 3);
}

TEST_CASE("recordings_list maps auth errors and an unknown project", "[recordings][errors]") {
  FakePosthog fake;
  SECTION("revoked personal key") {
    auto mcpd = start_mcpd(
        tracking_section(fake, {{"instances", {{"default", {{"personal_api_key", "phx_revoked000"}}}}}}));
    const auto text = call_error(*mcpd, "tracking.recordings_list", {});
    CHECK(text.find("HTTP 401") != std::string::npos);
    CHECK(text.find("plugin_config.tracking.instances.default.personal_api_key") != std::string::npos);
    CHECK(text.find("POSTHOG_PERSONAL_API_KEY") != std::string::npos);
    CHECK(text.find("phx_revoked000") == std::string::npos);
  }
  SECTION("missing session_recording:read") {
    fake.set_scopes({"project:read", "query:read"});
    auto mcpd = start_mcpd(tracking_section(fake));
    const auto text = call_error(*mcpd, "tracking.recordings_list", {});
    CHECK(text.find("\"session_recording:read\"") != std::string::npos);
  }
  SECTION("configured project id that does not exist") {
    auto mcpd = start_mcpd(tracking_section(fake, {{"instances", {{"default", {{"project_id", 999}}}}}}));
    const auto text = call_error(*mcpd, "tracking.recordings_list", {});
    CHECK(text.find("HTTP 404") != std::string::npos);
    CHECK(text.find("project_id") != std::string::npos);
    CHECK(fake.request_count(kCurrentProject) == 0);
  }
}
