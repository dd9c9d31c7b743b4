// tracking.recordings_list's searches (events performed, URL visited, rage and dead clicks, person
// properties, console errors, active time): the RecordingsQuery parameters PostHog receives, exactly, and
// the recordings that match in FakePosthog, which evaluates them as PostHog does.
#include "tracking_harness.hpp"

using namespace tracking_test;

namespace {

constexpr std::int64_t kHour = 3'600'000;

json::object event(const std::string& name, json::object properties = {}) {
  return json::object{{"event", name}, {"properties", std::move(properties)}};
}

// Four recordings, each with something the others lack.
void add_recordings(FakePosthog& fake) {
  auto add = [&](const std::string& id, int hours_ago, double active_seconds, json::array events,
                 json::object person_properties, json::array console_levels) {
    fake.add_recording(
        json::object{{"id", id},
                     {"distinct_id", "user-" + id},
                     {"recording_duration", 300},
                     {"active_seconds", active_seconds},
                     {"start_time", drf_time(now_ms() - hours_ago * kHour)},
                     {"end_time", drf_time(now_ms() - hours_ago * kHour + 300'000)},
                     {"person", json::object{{"uuid", "0190b5c6-1111-7000-8000-00000000000" + id.substr(4)},
                                             {"properties", std::move(person_properties)}}},
                     {"_events", std::move(events)},
                     {"_console_levels", std::move(console_levels)}});
  };
  add("rec-1", 1, 20,
      {event("$pageview", {{"$current_url", "https://shop.example.com/Checkout?step=2"}}),
       event("checkout_started"), event("$rageclick")},
      {{"plan", "pro"}}, {"log", "error"});
  add("rec-2", 2, 200,
      {event("$pageview", {{"$current_url", "https://shop.example.com/"}}), event("checkout_started"),
       event("$dead_click")},
      {{"plan", "free"}}, {"log"});
  add("rec-3", 3, 90, {event("signed_up")}, {{"plan", "pro"}, {"seats", 5}}, {"warn"});
  add("rec-4", 4, 5, {}, {}, {});
}

std::vector<std::string> ids_of(const json::object& result) {
  std::vector<std::string> ids;
  for (const auto& r : result.at("recordings").as_array()) ids.emplace_back(r.at("id").as_string());
  return ids;
}

std::map<std::string, std::string> last_params(const FakePosthog& fake) {
  const auto requests = fake.requests(kRecordings);
  REQUIRE_FALSE(requests.empty());
  return requests.back().params;
}

}  // namespace

TEST_CASE("recordings_list finds recordings by events performed and URL visited", "[recordings][search]") {
  FakePosthog fake;
  add_recordings(fake);
  auto mcpd = start_mcpd(tracking_section(fake));

  const auto performed = call_ok(*mcpd, "tracking_recordings_list", {{"events", {"checkout_started"}}});
  CHECK(ids_of(performed) == std::vector<std::string>{"rec-1", "rec-2"});
  auto params = last_params(fake);
  CHECK(params.at("events") ==
        R"([{"id":"checkout_started","name":"checkout_started","type":"events","order":0}])");
  CHECK(params.at("operand") == "AND");
  CHECK_FALSE(params.contains("properties"));

  // Every listed event must have happened, and the URL is matched without regard to case.
  const auto visited = call_ok(*mcpd, "tracking_recordings_list",
                               {{"events", {"checkout_started"}}, {"visited_url", "/checkout"}});
  CHECK(ids_of(visited) == std::vector<std::string>{"rec-1"});
  params = last_params(fake);
  CHECK(params.at("events") ==
        R"([{"id":"checkout_started","name":"checkout_started","type":"events","order":0},)"
        R"({"id":"$pageview","name":"$pageview","type":"events","order":1,"properties":)"
        R"([{"key":"$current_url","value":"/checkout","operator":"icontains","type":"event"}]}])");
}

TEST_CASE("recordings_list finds rage clicks, dead clicks, console errors, active time and person properties",
          "[recordings][search]") {
  FakePosthog fake;
  add_recordings(fake);
  auto mcpd = start_mcpd(tracking_section(fake));

  CHECK(ids_of(call_ok(*mcpd, "tracking_recordings_list", {{"rage_clicks", true}})) ==
        std::vector<std::string>{"rec-1"});
  CHECK(last_params(fake).at("events") ==
        R"([{"id":"$rageclick","name":"$rageclick","type":"events","order":0}])");
  CHECK(ids_of(call_ok(*mcpd, "tracking_recordings_list", {{"dead_clicks", true}})) ==
        std::vector<std::string>{"rec-2"});
  CHECK(last_params(fake).at("events") ==
        R"([{"id":"$dead_click","name":"$dead_click","type":"events","order":0}])");

  CHECK(ids_of(call_ok(*mcpd, "tracking_recordings_list", {{"console_errors", true}})) ==
        std::vector<std::string>{"rec-1"});
  CHECK(last_params(fake).at("console_log_filters") ==
        R"([{"key":"level","value":["error"],"operator":"exact","type":"log_entry"}])");

  CHECK(ids_of(call_ok(*mcpd, "tracking_recordings_list", {{"min_active_seconds", 90}})) ==
        std::vector<std::string>{"rec-2", "rec-3"});
  CHECK(last_params(fake).at("having_predicates") ==
        R"([{"key":"active_seconds","value":90,"operator":"gte","type":"recording"}])");

  CHECK(ids_of(call_ok(*mcpd, "tracking_recordings_list", {{"person_properties", {{"plan", "pro"}}}})) ==
        std::vector<std::string>{"rec-1", "rec-3"});
  CHECK(last_params(fake).at("properties") ==
        R"([{"key":"plan","value":"pro","operator":"exact","type":"person"}])");
  CHECK(ids_of(call_ok(*mcpd, "tracking_recordings_list",
                       {{"person_properties", {{"plan", "pro"}, {"seats", 5}}}})) ==
        std::vector<std::string>{"rec-3"});

  // Searches combine: all must hold.
  CHECK(ids_of(call_ok(*mcpd, "tracking_recordings_list",
                       {{"person_properties", {{"plan", "pro"}}}, {"min_active_seconds", 30}})) ==
        std::vector<std::string>{"rec-3"});
  // None by default: no search parameter at all.
  call_ok(*mcpd, "tracking_recordings_list", {});
  const auto plain = last_params(fake);
  for (const char* absent : {"events", "properties", "console_log_filters", "having_predicates", "operand"}) {
    CHECK_FALSE(plain.contains(absent));
  }
}

TEST_CASE("recordings_list: a search cannot be mixed with recording_id, and a cursor belongs to its search",
          "[recordings][search]") {
  FakePosthog fake;
  add_recordings(fake);
  auto mcpd = start_mcpd(tracking_section(fake));
  CHECK(call_error(*mcpd, "tracking_recordings_list", {{"recording_id", "rec-1"}, {"rage_clicks", true}}) ==
        "tracking_recordings_list: \"recording_id\" fetches one recording; leave out \"rage_clicks\"");

  const auto first =
      call_ok(*mcpd, "tracking_recordings_list", {{"events", {"checkout_started"}}, {"limit", 1}});
  REQUIRE(first.contains("next_cursor"));
  const auto error =
      call_error(*mcpd, "tracking_recordings_list",
                 {{"events", {"signed_up"}}, {"limit", 1}, {"cursor", first.at("next_cursor")}});
  CHECK(error.find("cursor") != std::string::npos);
  const auto second =
      call_ok(*mcpd, "tracking_recordings_list",
              {{"events", {"checkout_started"}}, {"limit", 1}, {"cursor", first.at("next_cursor")}});
  CHECK(ids_of(second) == std::vector<std::string>{"rec-2"});
}
