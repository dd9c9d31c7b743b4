// tracking_sessions_list end to end: HogQL with placeholders, pagination with an opaque cursor, ms
// durations, and values that cannot change the query.
#include <set>

#include "tracking_harness.hpp"

using namespace tracking_test;

namespace {

constexpr std::int64_t kMinute = 60'000;

// Five sessions of two users in the last hours, plus one three weeks old (outside the default -7d).
void add_sessions(FakePosthog& fake) {
  const auto now = now_ms();
  for (int i = 0; i < 5; ++i) {
    FakeSession s;
    s.session_id = "0190b5c6-0000-7000-8000-00000000000" + std::to_string(i);
    s.distinct_id = i % 2 == 0 ? "alice" : "bob";
    s.start_ms = now - (i + 1) * 60 * kMinute;
    s.end_ms = s.start_ms + 90'500 + i;
    s.entry_url = "https://example.com/" + std::to_string(i);
    s.exit_url = "https://example.com/done";
    s.pageviews = i + 1;
    s.is_bounce = i == 4;
    s.channel = "Organic Search";
    fake.add_session(s);
  }
  FakeSession old;
  old.session_id = "0190b5c6-0000-7000-8000-0000000000ff";
  old.distinct_id = "alice";
  old.start_ms = now - 21 * 24 * 60 * kMinute;
  old.end_ms = old.start_ms + kMinute;
  fake.add_session(old);
}

json::object last_query(const FakePosthog& fake) {
  const auto requests = fake.requests(kQuery);
  REQUIRE_FALSE(requests.empty());
  return json::parse(requests.back().body).at("query").as_object();
}

}  // namespace

TEST_CASE("sessions_list returns the last 7 days newest first with durations in ms", "[sessions]") {
  FakePosthog fake;
  add_sessions(fake);
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking_sessions_list", {});
  const auto& sessions = result.at("sessions").as_array();
  REQUIRE(sessions.size() == 5);
  CHECK(result.at("has_more") == false);
  CHECK_FALSE(result.contains("next_cursor"));
  CHECK(sessions[0].at("session_id") == "0190b5c6-0000-7000-8000-000000000000");
  CHECK(sessions[0].at("distinct_id") == "alice");
  CHECK(sessions[0].at("duration_ms") == 90'500);
  CHECK(sessions[3].at("duration_ms") == 90'503);
  CHECK(sessions[0].at("entry_url") == "https://example.com/0");
  CHECK(sessions[0].at("exit_url") == "https://example.com/done");
  CHECK(sessions[2].at("pageview_count") == 3);
  CHECK(sessions[4].at("is_bounce") == true);
  CHECK(sessions[0].at("channel_type") == "Organic Search");
  const auto start = parse_time_ms(std::string(sessions[0].at("start").as_string()));
  REQUIRE(start.has_value());
  CHECK(std::string(sessions[0].at("start").as_string()).back() == 'Z');

  const auto query = last_query(fake);
  CHECK(query.at("kind") == "HogQLQuery");
  CHECK(std::string(query.at("query").as_string()).find("FROM sessions") != std::string::npos);
  // The window is absolute and 7 days wide.
  const auto since = parse_time_ms(std::string(query.at("values").at("since").as_string()));
  const auto until = parse_time_ms(std::string(query.at("values").at("until").as_string()));
  REQUIRE((since && until));
  CHECK(*until - *since == 7 * 24 * 60 * kMinute);
}

TEST_CASE("sessions_list pages through every session exactly once with the cursor",
          "[sessions][pagination]") {
  FakePosthog fake;
  add_sessions(fake);
  auto mcpd = start_mcpd(tracking_section(fake));
  std::vector<std::string> seen;
  json::object arguments{{"limit", 2}};
  int pages = 0;
  while (true) {
    const auto result = call_ok(*mcpd, "tracking_sessions_list", arguments);
    ++pages;
    for (const auto& s : result.at("sessions").as_array()) seen.emplace_back(s.at("session_id").as_string());
    if (!result.at("has_more").as_bool()) {
      CHECK_FALSE(result.contains("next_cursor"));
      break;
    }
    REQUIRE(pages < 10);
    arguments["cursor"] = result.at("next_cursor");
  }
  CHECK(pages == 3);
  REQUIRE(seen.size() == 5);
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 5);
  // Every page used the same absolute window.
  const auto requests = fake.requests(kQuery);
  REQUIRE(requests.size() == 3);
  const auto first = json::parse(requests[0].body).at("query").at("values");
  const auto third = json::parse(requests[2].body).at("query").at("values");
  CHECK(first.at("since") == third.at("since"));
  CHECK(first.at("until") == third.at("until"));
  // The project id was resolved from @current once and cached.
  CHECK(fake.request_count(kCurrentProject) == 1);
}

TEST_CASE("sessions_list filters by distinct_id through a placeholder", "[sessions]") {
  FakePosthog fake;
  add_sessions(fake);
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking_sessions_list", {{"distinct_id", "bob"}});
  const auto& sessions = result.at("sessions").as_array();
  REQUIRE(sessions.size() == 2);
  for (const auto& s : sessions) CHECK(s.at("distinct_id") == "bob");
  const auto query = last_query(fake);
  CHECK(query.at("values").at("distinct_id") == "bob");
  CHECK(std::string(query.at("query").as_string()).find("distinct_id = {distinct_id}") != std::string::npos);
}

TEST_CASE("a quote in distinct_id is data: it cannot alter the HogQL query", "[sessions][injection]") {
  FakePosthog fake;
  add_sessions(fake);
  const std::string hostile = "x' OR 1=1 OR distinct_id = 'alice";
  FakeSession mine;
  mine.session_id = "0190b5c6-0000-7000-8000-0000000000aa";
  mine.distinct_id = hostile;
  mine.start_ms = now_ms() - 30 * kMinute;
  mine.end_ms = mine.start_ms + 1000;
  fake.add_session(mine);
  auto mcpd = start_mcpd(tracking_section(fake));

  const auto result = call_ok(*mcpd, "tracking_sessions_list", {{"distinct_id", hostile}});
  const auto& sessions = result.at("sessions").as_array();
  REQUIRE(sessions.size() == 1);  // only the session whose distinct_id is literally that text
  CHECK(sessions[0].at("distinct_id") == json::value(hostile));
  const auto query = last_query(fake);
  const std::string text(query.at("query").as_string());
  CHECK(text.find('\'') == std::string::npos);
  CHECK(text.find("OR 1=1") == std::string::npos);
  CHECK(query.at("values").at("distinct_id") == json::value(hostile));
}

TEST_CASE("a cursor only works with the tool and filters that made it", "[sessions][pagination]") {
  FakePosthog fake;
  add_sessions(fake);
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto first = call_ok(*mcpd, "tracking_sessions_list", {{"limit", 1}, {"distinct_id", "alice"}});
  const auto cursor = first.at("next_cursor");
  const auto other_filters =
      call_error(*mcpd, "tracking_sessions_list", {{"limit", 1}, {"distinct_id", "bob"}, {"cursor", cursor}});
  CHECK(other_filters.find("other filters") != std::string::npos);
  const auto other_tool = call_error(*mcpd, "tracking_recordings_list", {{"cursor", cursor}});
  CHECK(other_tool.find("not a cursor from tracking_recordings_list") != std::string::npos);
  const auto garbage = call_error(*mcpd, "tracking_sessions_list", {{"cursor", "!!not-base64!!"}});
  CHECK(garbage.find("not a cursor") != std::string::npos);
}

TEST_CASE("sessions_list checks the time window", "[sessions]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto text = call_error(*mcpd, "tracking_sessions_list", {{"since", "-1d"}, {"until", "-2d"}});
  CHECK(text.find("must be before") != std::string::npos);
  CHECK(fake.request_count(kQuery) == 0);
}

TEST_CASE("sessions_list maps the Query API's errors", "[sessions][errors]") {
  FakePosthog fake;
  add_sessions(fake);
  auto mcpd = start_mcpd(tracking_section(fake));
  SECTION("missing scope") {
    fake.set_scopes({"project:read"});
    const auto text = call_error(*mcpd, "tracking_sessions_list", {});
    CHECK(text.find("HTTP 403") != std::string::npos);
    CHECK(text.find("\"query:read\"") != std::string::npos);
    CHECK(text.find("Personal API keys") != std::string::npos);
  }
  SECTION("malformed JSON") {
    fake.inject(kQuery, Fault::malformed());
    const auto text = call_error(*mcpd, "tracking_sessions_list", {});
    CHECK(text.find("not JSON") != std::string::npos);
  }
  SECTION("throttled past the retries") {
    fake.inject(kQuery, Fault::http(429), 3);
    const auto text = call_error(*mcpd, "tracking_sessions_list", {});
    CHECK(text.find("rate limited") != std::string::npos);
    CHECK(text.find("retry after 7 s") != std::string::npos);  // from "Expected available in 7 seconds"
    CHECK(fake.request_count(kQuery) == 3);
  }
}

TEST_CASE("the client's W3C trace context goes on to PostHog with the tool's requests", "[sessions][trace]") {
  FakePosthog fake;
  add_sessions(fake);
  auto mcpd = start_mcpd(tracking_section(fake));
  const std::string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const auto response = mcpd->request(
      "tools/call", {{"name", "tracking_sessions_list"},
                     {"arguments", json::object{}},
                     {"_meta", {{"traceparent", traceparent}, {"tracestate", "vendor=opaque"}}}});
  INFO(json::serialize(response));
  REQUIRE(response.contains("result"));
  const auto requests = fake.requests(kQuery);
  REQUIRE_FALSE(requests.empty());
  CHECK(requests.back().traceparent == traceparent);
  CHECK(requests.back().tracestate == "vendor=opaque");

  // Without one, none is made up.
  call_ok(*mcpd, "tracking_sessions_list", {});
  CHECK(fake.requests(kQuery).back().traceparent.empty());
}
