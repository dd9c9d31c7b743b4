// The TypeScript prototype's calls, replayed: every argument shape it sent is accepted, reaches the real
// PostHog endpoint with the meaning it had, and the answer carries the field names the prototype returned
// (beside today's). Each call uses the prototype's shape only; the tools' own tests cover today's.
#include "fake_gemini.hpp"
#include "flag_fixtures.hpp"
#include "test_videos.hpp"
#include "tool_call_checks.hpp"
#include "tracking_harness.hpp"

using namespace tracking_test;
using namespace video_fixtures;
using gemini_test::FakeGemini;

namespace {

constexpr std::int64_t kMinute = 60'000;

json::object last_event(const FakePosthog& fake) {
  const auto events = fake.received_events();
  REQUIRE_FALSE(events.empty());
  return events.back();
}

}  // namespace

TEST_CASE("prototype: capture, identify and pageview with timestamp_iso and traits", "[prototype]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake));

  const auto captured = call_ok(*mcpd, "tracking_capture",
                                {{"instance", "default"},
                                 {"distinct_id", "u1"},
                                 {"event", "signed_up"},
                                 {"properties", {{"plan", "pro"}}},
                                 {"timestamp_iso", "2025-01-31T08:15:00Z"}});
  CHECK(captured.at("ok") == true);
  CHECK(captured.at("event") == "signed_up");
  auto event = last_event(fake);
  CHECK(event.at("event") == "signed_up");
  CHECK(event.at("timestamp") == "2025-01-31T08:15:00Z");
  CHECK(event.at("properties").at("plan") == "pro");

  const auto identified =
      call_ok(*mcpd, "tracking_identify",
              {{"instance", "default"}, {"distinct_id", "u1"}, {"traits", {{"email", "a@example.com"}}}});
  CHECK(identified.at("ok") == true);
  event = last_event(fake);
  CHECK(event.at("event") == "$identify");
  CHECK(event.at("properties").at("$set").at("email") == "a@example.com");

  const auto viewed = call_ok(*mcpd, "tracking_pageview",
                              {{"instance", "default"},
                               {"distinct_id", "u1"},
                               {"url", "https://example.com/pricing"},
                               {"properties", {{"ref", "ad"}}},
                               {"timestamp_iso", "2025-01-31T09:00:00+01:00"}});
  CHECK(viewed.at("ok") == true);
  event = last_event(fake);
  CHECK(event.at("event") == "$pageview");
  CHECK(event.at("properties").at("$current_url") == "https://example.com/pricing");
  CHECK(event.at("properties").at("ref") == "ad");
  CHECK(event.at("timestamp") == "2025-01-31T09:00:00+01:00");  // as given: PostHog reads the offset

  // One setting in both spellings is ambiguous: refused, naming both.
  const auto both = call_error(*mcpd, "tracking_identify",
                               {{"distinct_id", "u1"}, {"traits", {{"a", 1}}}, {"set", {{"a", 2}}}});
  CHECK(both ==
        "tracking_identify: give \"set\" or \"traits\" (the prototype's spelling of the same setting), "
        "not both");
}

TEST_CASE("prototype: sessions_list and recordings_list with a filter object", "[prototype]") {
  FakePosthog fake;
  const auto now = now_ms();
  for (int i = 0; i < 3; ++i) {
    FakeSession s;
    s.session_id = "s" + std::to_string(i);
    s.distinct_id = i == 1 ? "bob" : "alice";
    s.start_ms = now - (i + 1) * 60 * kMinute;
    s.end_ms = s.start_ms + 90'000;
    s.events = 10 + i;
    fake.add_session(s);
    fake.add_recording(json::object{{"id", "s" + std::to_string(i)},
                                    {"distinct_id", s.distinct_id},
                                    {"recording_duration", 90},
                                    {"start_time", drf_time(s.start_ms)},
                                    {"end_time", drf_time(s.end_ms)}});
  }
  auto mcpd = start_mcpd(tracking_section(fake));

  const auto sessions = call_ok(
      *mcpd, "tracking_sessions_list",
      {{"instance", "default"}, {"filter", {{"distinct_id", "alice"}, {"since", "-1d"}, {"limit", 1}}}});
  const auto& listed = sessions.at("sessions").as_array();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("id") == "s0");
  CHECK(listed[0].at("distinct_id") == "alice");
  CHECK(listed[0].at("duration_ms") == 90'000);
  CHECK(listed[0].at("events_count") == 10);
  const auto start = parse_time_ms(std::string(listed[0].at("start").as_string()));
  REQUIRE(start.has_value());
  CHECK(*start / 1000 == (now - 60 * kMinute) / 1000);
  REQUIRE(sessions.contains("next_cursor"));
  const auto next = call_ok(
      *mcpd, "tracking_sessions_list",
      {{"filter",
        {{"distinct_id", "alice"}, {"since", "-1d"}, {"limit", 1}, {"cursor", sessions.at("next_cursor")}}}});
  REQUIRE(next.at("sessions").as_array().size() == 1);
  CHECK(next.at("sessions").at(0).at("id") == "s2");

  const auto recordings =
      call_ok(*mcpd, "tracking_recordings_list",
              {{"instance", "default"}, {"filter", {{"distinct_id", "bob"}, {"limit", 5}}}});
  const auto& found = recordings.at("recordings").as_array();
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("id") == "s1");
  CHECK(found[0].at("session_id") == "s1");
  CHECK(found[0].at("duration_ms") == 90'000);
  const auto request = fake.requests(kRecordings).back();
  CHECK(request.params.at("distinct_ids") == "[\"bob\"]");
  CHECK(request.params.at("limit") == "5");

  const auto both = call_error(*mcpd, "tracking_sessions_list",
                               {{"distinct_id", "bob"}, {"filter", {{"distinct_id", "alice"}}}});
  CHECK(both ==
        "tracking_sessions_list: give \"distinct_id\" or \"filter.distinct_id\" (the prototype's "
        "spelling of the same setting), not both");
  CHECK(
      call_error(*mcpd, "tracking_recordings_list", {{"filter", {{"person", "bob"}}}}) ==
      "tracking_recordings_list: \"filter.person\" is not a setting; filter takes distinct_id, since, until, "
      "limit, cursor");
}

TEST_CASE("prototype: funnels_run with a definition and a window in hours", "[prototype]") {
  FakePosthog fake;
  const std::int64_t t0 = now_ms() - 2 * 24 * 60 * kMinute;
  // p1 converts within 2 hours, p2 after 3 hours: a 2-hour window counts only p1.
  fake.add_funnel_event({"p1", "$pageview", t0, {{"$current_url", "https://example.com/pricing"}}});
  fake.add_funnel_event({"p1", "signed_up", t0 + 30 * kMinute, {}});
  fake.add_funnel_event({"p2", "$pageview", t0, {{"$current_url", "https://example.com/pricing"}}});
  fake.add_funnel_event({"p2", "signed_up", t0 + 180 * kMinute, {}});
  auto mcpd = start_mcpd(tracking_section(fake));

  const auto result = call_ok(
      *mcpd, "tracking_funnels_run",
      {{"instance", "default"},
       {"definition",
        {{"steps", json::array{json::object{{"event", "$pageview"},
                                            {"match", {{"$current_url", "https://example.com/pricing"}}}},
                               json::object{{"event", "signed_up"}}}},
         {"window", {{"hours", 2}}}}}});
  const auto& steps = result.at("steps").as_array();
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].at("event") == "$pageview");
  CHECK(steps[0].at("count") == 2);
  CHECK(steps[1].at("count") == 1);
  CHECK(steps[1].at("drop_off") == 1);
  CHECK(result.at("summary").at("conversion_rate").as_double() == Approx(0.5));
  const auto query = json::parse(fake.requests(kQuery).back().body).at("query").as_object();
  CHECK(query.at("funnelsFilter").at("funnelWindowInterval") == 2);
  CHECK(query.at("funnelsFilter").at("funnelWindowIntervalUnit") == "hour");

  // Several units add up, in the largest unit that keeps the sum whole: 1 day + 30 minutes = 1470 minutes.
  call_ok(
      *mcpd, "tracking_funnels_run",
      {{"definition",
        {{"steps", json::array{json::object{{"event", "$pageview"}}, json::object{{"event", "signed_up"}}}},
         {"window", {{"days", 1}, {"minutes", 30}}}}}});
  const auto mixed = json::parse(fake.requests(kQuery).back().body).at("query").as_object();
  CHECK(mixed.at("funnelsFilter").at("funnelWindowInterval") == 1470);
  CHECK(mixed.at("funnelsFilter").at("funnelWindowIntervalUnit") == "minute");

  // What the prototype never had is refused, not dropped.
  const json::array two_steps{json::object{{"event", "$pageview"}}, json::object{{"event", "signed_up"}}};
  CHECK(call_error(*mcpd, "tracking_funnels_run",
                   {{"definition", {{"steps", two_steps}, {"window", {{"weeks", 1}}}}}}) ==
        "tracking_funnels_run: \"definition.window.weeks\" is not allowed; give minutes, hours or days as "
        "whole numbers from 1 to 10000");
  CHECK(call_error(*mcpd, "tracking_funnels_run",
                   {{"definition", {{"steps", two_steps}, {"breakdown", "x"}}}}) ==
        "tracking_funnels_run: \"definition.breakdown\" is not a setting; definition takes steps, window");
}

TEST_CASE("prototype: feature_flags_list and feature_flag_eval with a context", "[prototype]") {
  FakePosthog fake;
  fake.set_flag_definitions(flag_definitions().as_array(), group_type_mapping(), cohorts());
  fake.set_remote_flag("u9", "multi-flag",
                       {{"enabled", true},
                        {"variant", "test"},
                        {"reason", {{"code", "condition_match"}, {"condition_index", 0}}},
                        {"metadata", {{"id", 2}, {"version", 3}}}});
  auto mcpd = start_mcpd(tracking_section(fake));

  const auto flags = call_ok(*mcpd, "tracking_feature_flags_list", {{"instance", "default"}});
  bool saw_rollout = false;
  for (const auto& flag : flags.at("flags").as_array()) {
    CHECK(flag.as_object().contains("key"));
    CHECK(flag.as_object().contains("type"));
    if (const auto* percentage = flag.as_object().if_contains("rollout_percentage")) {
      CHECK(flag.at("rollout") == *percentage);
      saw_rollout = true;
    }
  }
  CHECK(saw_rollout);

  const auto evaluated =
      call_ok(*mcpd, "tracking_feature_flag_eval",
              {{"instance", "default"},
               {"distinct_id", "u9"},
               {"context", {{"person_properties", {{"plan", "pro"}}}, {"groups", {{"company", "acme"}}}}}});
  // No mode given and a context PostHog must see for remote flags: the remote answer is the prototype's
  // /decide answer, keyed by flag.
  CHECK(evaluated.at("decisions").at("multi-flag") == "test");
  const auto body = json::parse(fake.requests(kFlags).back().body).as_object();
  CHECK(body.at("person_properties").at("plan") == "pro");
  CHECK(body.at("groups").at("company") == "acme");

  // A context of plain person properties means just that.
  call_ok(*mcpd, "tracking_feature_flag_eval",
          {{"distinct_id", "u9"}, {"context", {{"email", "a@example.com"}}}, {"mode", "remote"}});
  const auto flat = json::parse(fake.requests(kFlags).back().body).as_object();
  CHECK(flat.at("person_properties").at("email") == "a@example.com");
}

TEST_CASE("prototype: recording_frames and ask_question_about_recording by recording_id", "[prototype]") {
  scratch_dir dir;
  const auto video =
      colour_video(dir.path(), "render.mp4", {{"red", 1}, {"lime", 1}, {"blue", 1}}, 320, 240, 10, h264(10));
  FakePosthog posthog;
  posthog.set_export_video(file_bytes(video));
  FakeGemini gemini;
  auto tracking = tracking_section(posthog, {{"exports", {{"poll_interval_ms", 100}, {"timeout_ms", 20000}}},
                                             {"video_cache", {{"dir", (dir.path() / "cache").string()}}}});
  json::object gemini_config{{"api_key", FakeGemini::kApiKey}, {"api_base_url", gemini.base_url()}};
  auto mcpd = mcpd_test::start_shipped_plugins({{"tracking", tracking}, {"gemini", gemini_config}});

  const auto frames =
      call_ok(*mcpd, "tracking_recording_frames",
              {{"instance", "default"}, {"recording_id", "rec-1"}, {"step_ms", 1000}, {"max_frames", 2}});
  const auto& listed = frames.at("frames").as_array();
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].at("ts_ms") == 0);
  CHECK(listed[1].at("ts_ms") == 1000);
  CHECK(listed[1].at("image_name") == "frame_0002_1000ms.png");
  CHECK(listed[1].at("width") == 320);
  CHECK(listed[1].at("height") == 240);

  const auto answer = call_ok(*mcpd, "tracking_ask_question_about_recording",
                              {{"instance", "default"},
                               {"recording_id", "rec-1"},
                               {"question", "Which colour is last?"},
                               {"model", "gemini-3.8-flash"}});
  CHECK(answer.at("answer_text") == answer.at("answer"));
  CHECK_FALSE(answer.at("answer_text").as_string().empty());
  const auto& keyframes = answer.at("keyframes").as_array();
  REQUIRE_FALSE(keyframes.empty());
  CHECK(keyframes[0].at("ts_ms") == 0);
  CHECK(keyframes[0].at("image_name") == "frame_0001_0ms.png");
  const auto generate = gemini.requests(gemini_test::kGenerate);
  REQUIRE(generate.size() == 1);
  CHECK(generate[0].model == "gemini-3.8-flash");
  CHECK(posthog.request_count(kExports) == 1);  // the second call used the cached render
}
