// tracking.funnels_run end to end: the FunnelsQuery sent, counts computed by the fake from raw events,
// drop-off and conversion worked out by the plugin, breakdowns.
#include "tracking_harness.hpp"

using namespace tracking_test;

namespace {

constexpr std::int64_t kMinute = 60'000;

// 4 people view pricing; 3 sign up (one of them 3 days later); 2 pay. Browsers split 2 Chrome / 2 Firefox.
void add_events(FakePosthog& fake) {
  const std::int64_t t0 = now_ms() - 5 * 24 * 60 * kMinute;
  auto add = [&](const std::string& person, const std::string& event, std::int64_t offset,
                 json::object props = {}) {
    fake.add_funnel_event({person, event, t0 + offset, std::move(props)});
  };
  add("p1", "$pageview", 0, {{"$current_url", "https://example.com/pricing"}, {"$browser", "Chrome"}});
  add("p1", "signed_up", 10 * kMinute);
  add("p1", "paid", 20 * kMinute);
  add("p2", "$pageview", 0, {{"$current_url", "https://example.com/pricing"}, {"$browser", "Chrome"}});
  add("p2", "signed_up", 30 * kMinute);
  add("p3", "$pageview", 0, {{"$current_url", "https://example.com/pricing"}, {"$browser", "Firefox"}});
  add("p3", "signed_up", 3 * 24 * 60 * kMinute);  // outside a 1-day window
  add("p3", "paid", 3 * 24 * 60 * kMinute + kMinute);
  add("p4", "$pageview", 0, {{"$current_url", "https://example.com/pricing"}, {"$browser", "Firefox"}});
  add("p5", "$pageview", 0, {{"$current_url", "https://example.com/blog"}, {"$browser", "Chrome"}});
  add("p5", "signed_up", kMinute);
}

const json::array kSteps = {
    json::object{{"event", "$pageview"},
                 {"match", {{"$current_url", "https://example.com/pricing"}}},
                 {"label", "Pricing"}},
    json::object{{"event", "signed_up"}},
    json::object{{"event", "paid"}},
};

}  // namespace

TEST_CASE("funnels_run sends a FunnelsQuery and reports counts, drop-off and conversion", "[funnels]") {
  FakePosthog fake;
  add_events(fake);
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking.funnels_run",
                              {{"steps", kSteps}, {"window", {{"interval", 1}, {"unit", "day"}}}});
  const auto& steps = result.at("steps").as_array();
  REQUIRE(steps.size() == 3);
  CHECK(steps[0].at("label") == "Pricing");
  CHECK(steps[0].at("count") == 4);
  CHECK(steps[1].at("count") == 2);
  CHECK(steps[2].at("count") == 1);
  CHECK(steps[1].at("dropoff") == 2);
  CHECK(steps[2].at("dropoff") == 1);
  CHECK(steps[1].at("conversion_from_first").as_double() == Approx(0.5));
  CHECK(steps[2].at("conversion_from_first").as_double() == Approx(0.25));
  CHECK(steps[2].at("conversion_from_previous").as_double() == Approx(0.5));
  CHECK(steps[1].at("average_conversion_time_s").as_double() == Approx(20 * 60));  // (10 + 30 min) / 2
  CHECK(result.at("overall_conversion").as_double() == Approx(0.25));
  CHECK(result.at("since") == "-30d");

  const auto query = json::parse(fake.requests(kQuery).at(0).body).at("query").as_object();
  CHECK(query.at("kind") == "FunnelsQuery");
  CHECK(query.at("funnelsFilter").at("funnelWindowInterval") == 1);
  CHECK(query.at("funnelsFilter").at("funnelWindowIntervalUnit") == "day");
  CHECK(query.at("funnelsFilter").at("funnelOrderType") == "ordered");
  const auto& first = query.at("series").at(0).as_object();
  CHECK(first.at("kind") == "EventsNode");
  CHECK(first.at("properties").at(0) == json::value(json::object{{"key", "$current_url"},
                                                                 {"value", "https://example.com/pricing"},
                                                                 {"operator", "exact"},
                                                                 {"type", "event"}}));
}

TEST_CASE("funnels_run's window decides who converts", "[funnels]") {
  FakePosthog fake;
  add_events(fake);
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking.funnels_run",
                              {{"steps", kSteps}, {"window", {{"interval", 7}, {"unit", "day"}}}});
  CHECK(result.at("steps").at(1).at("count") == 3);
  CHECK(result.at("steps").at(2).at("count") == 2);
  CHECK(result.at("overall_conversion").as_double() == Approx(0.5));
}

TEST_CASE("funnels_run breaks down by a property and totals the values", "[funnels]") {
  FakePosthog fake;
  add_events(fake);
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking.funnels_run",
                              {{"steps", kSteps},
                               {"window", {{"interval", 1}, {"unit", "day"}}},
                               {"breakdown", {{"property", "$browser"}}}});
  CHECK(result.at("steps").at(0).at("count") == 4);
  CHECK(result.at("steps").at(2).at("count") == 1);
  const auto& breakdowns = result.at("breakdowns").as_array();
  REQUIRE(breakdowns.size() == 2);
  for (const auto& b : breakdowns) {
    if (b.at("value") == "Chrome") {
      CHECK(b.at("steps").at(0).at("count") == 2);
      CHECK(b.at("steps").at(2).at("count") == 1);
      CHECK(b.at("overall_conversion").as_double() == Approx(0.5));
    } else {
      CHECK(b.at("value") == "Firefox");
      CHECK(b.at("steps").at(1).at("count") == 0);
      CHECK(b.at("overall_conversion").as_double() == Approx(0.0));
    }
  }
  const auto query = json::parse(fake.requests(kQuery).at(0).body).at("query").as_object();
  CHECK(query.at("breakdownFilter").at("breakdown") == "$browser");
  CHECK(query.at("breakdownFilter").at("breakdown_type") == "event");
}

TEST_CASE("funnels_run reports PostHog's refusal of the query", "[funnels][errors]") {
  FakePosthog fake;
  fake.inject(
      kQuery,
      Fault::http(400,
                  R"({"type":"validation_error","code":"invalid_input","detail":"Unknown event: paid"})"));
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto text = call_error(*mcpd, "tracking.funnels_run", {{"steps", kSteps}});
  CHECK(text.find("HTTP 400") != std::string::npos);
  CHECK(text.find("Unknown event: paid") != std::string::npos);
  CHECK(fake.request_count(kQuery) == 1);
}

TEST_CASE("funnels_run with an empty project reports zero conversion", "[funnels]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking.funnels_run",
                              {{"steps", kSteps}, {"since", "2025-01-01"}, {"until", "2025-02-01"}});
  CHECK(result.at("steps").at(0).at("count") == 0);
  CHECK(result.at("overall_conversion").as_double() == 0.0);
  CHECK(result.at("until") == "2025-02-01");
}
