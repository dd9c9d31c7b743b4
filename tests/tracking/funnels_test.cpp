// tracking.funnels_run end to end: the FunnelsQuery sent, counts computed by the fake from raw events,
// drop-off and conversion worked out by the plugin, breakdowns.
#include <algorithm>
#include <filesystem>
#include <utility>

#include "response_checks.hpp"
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

TEST_CASE("funnels_run links its funnel chart view for clients of MCP Apps, and only for them",
          "[funnels][apps]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto funnels_tool = [](const json::object& list) -> json::object {
    for (const auto& tool : list.at("tools").as_array())
      if (tool.at("name") == "tracking_funnels_run") return tool.as_object();
    FAIL("tracking_funnels_run is not listed");
    return {};
  };
  const auto lists_view = [](const json::object& list) {
    for (const auto& resource : list.at("resources").as_array())
      if (resource.at("uri") == "ui://tracking/funnel-chart.html") return true;
    return false;
  };
  // The session is a legacy one without the extension: today's definition, no view.
  CHECK_FALSE(funnels_tool(mcpd->request_result("tools/list")).contains("_meta"));
  CHECK_FALSE(lists_view(mcpd->request_result("resources/list")));

  const auto& apps = apps_capabilities();
  const auto linked =
      funnels_tool(mcpd_test::result_of(mcpd->request("tools/list", mcpd_test::modern({}, apps))));
  CHECK(linked.at("_meta").at("ui").at("resourceUri") == "ui://tracking/funnel-chart.html");
  CHECK(lists_view(mcpd_test::result_of(mcpd->request("resources/list", mcpd_test::modern({}, apps)))));

  const auto read = mcpd_test::result_of(
      mcpd->request("resources/read", mcpd_test::modern({{"uri", "ui://tracking/funnel-chart.html"}}, apps)));
  const auto& contents = read.at("contents").at(0).as_object();
  CHECK(contents.at("mimeType") == "text/html;profile=mcp-app");
  CHECK(contents.at("_meta").at("ui").at("prefersBorder") == true);
  const std::string html(contents.at("text").as_string());
  CHECK(html.starts_with("<!DOCTYPE html>"));
  // Self-contained: the host's CSP lets a view load nothing it does not list, and this one lists nothing.
  for (const char* outside : {"<script src", "<link", "@import", "url(", "http://", "https://"})
    CHECK(html.find(outside) == std::string::npos);
  // It speaks the host protocol it needs, and never parses data as HTML.
  for (const char* method : {"ui/initialize", "ui/notifications/initialized", "ui/notifications/tool-result"})
    CHECK(html.find(method) != std::string::npos);
  CHECK(html.find("innerHTML") == std::string::npos);
}

namespace {

json::object rendered_funnel(const std::string& html, const json::object& result, const json::object& input,
                             const std::string& theme, const std::string& name) {
  return seen_in_browser({.facts = "funnel",
                          .html = html,
                          .result = result,
                          .input = input,
                          .theme = theme,
                          .screenshot = name});
}

std::vector<std::string> strings_of(const json::array& values, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& value : values) out.emplace_back(value.at(key).as_string());
  return out;
}

}  // namespace

TEST_CASE("the funnel chart draws funnels_run's result in a real browser, from a modern and a legacy client",
          "[funnels][apps][browser]") {
  FakePosthog fake;
  add_events(fake);
  const auto& apps = apps_capabilities();
  mcpd_test::ServeOptions options;
  options.plugin_dirs = {mcpd_test::BuildPaths::shipped_plugins_dir()};
  options.config = json::object{{"plugin_config", {{"tracking", tracking_section(fake)}}}};
  mcpd_test::McpSession legacy(std::move(options));
  legacy.initialize("2025-11-25", apps);  // a legacy client of MCP Apps

  const json::object arguments{{"steps", kSteps}, {"window", {{"interval", 1}, {"unit", "day"}}}};
  const auto html = view_html(legacy, "ui://tracking/funnel-chart.html");
  const auto from_legacy = legacy.call_tool_result("tracking_funnels_run", arguments);
  const auto from_modern = mcpd_test::result_of(legacy.request(
      "tools/call", mcpd_test::modern({{"name", "tracking_funnels_run"}, {"arguments", arguments}}, apps)));

  for (const auto& [era, result] : {std::pair{"legacy", from_legacy}, std::pair{"modern", from_modern}}) {
    for (const std::string theme : {"light", "dark"}) {
      INFO(era << " client, " << theme << " theme");
      const auto seen =
          rendered_funnel(html, result, arguments, theme, std::string("funnel-") + era + "-" + theme);
      const auto& facts = seen.at("facts").as_object();
      CHECK(facts.at("title") == "Funnel: 3 steps");
      CHECK(facts.at("overall") == "25.0% converted: 1 of 4");
      const auto& steps = facts.at("steps").as_array();
      CHECK(strings_of(steps, "label") == std::vector<std::string>{"Pricing", "signed_up", "paid"});
      CHECK(strings_of(steps, "count") == std::vector<std::string>{"4", "2", "1"});
      CHECK(
          strings_of(steps, "detail") ==
          std::vector<std::string>{"100.0% of the first step",
                                   "50.0% of the first step · 50.0% from the previous step · 2 dropped off",
                                   "25.0% of the first step · 50.0% from the previous step · 1 dropped off"});
      // The bars are as long as the conversion says, measured on the page.
      REQUIRE(steps.size() == 3);
      CHECK(steps[0].at("bar_percent").to_number<double>() == Approx(100.0).margin(0.5));
      CHECK(steps[1].at("bar_percent").to_number<double>() == Approx(50.0).margin(0.5));
      CHECK(steps[2].at("bar_percent").to_number<double>() == Approx(25.0).margin(0.5));
      CHECK(facts.at("breakdown_rows").as_array().empty());
      CHECK(facts.at("background") == (theme == "dark" ? "rgb(31, 31, 31)" : "rgb(255, 255, 255)"));
      // The host protocol, in the order MCP Apps sets.
      const auto& sequence = seen.at("sequence").as_array();
      REQUIRE(sequence.size() >= 5);
      CHECK(sequence[0] == "view→host ui/initialize");
      CHECK(sequence[1] == "host→view (answer)");
      CHECK(sequence[2] == "view→host ui/notifications/initialized");
      CHECK(sequence[4] == "host→view ui/notifications/tool-result");
    }
  }

  // With a breakdown, a row per value under the bars.
  json::object by_browser = arguments;
  by_browser["breakdown"] = json::object{{"property", "$browser"}};
  const auto broken_down = legacy.call_tool_result("tracking_funnels_run", by_browser);
  const auto seen = rendered_funnel(html, broken_down, by_browser, "light", "funnel-breakdown");
  std::vector<std::string> rows;
  for (const auto& row : seen.at("facts").at("breakdown_rows").as_array()) {
    std::string line;
    for (const auto& cell : row.as_array()) line += std::string(cell.as_string()) + "|";
    rows.push_back(line);
  }
  std::sort(rows.begin(), rows.end());
  CHECK(rows == std::vector<std::string>{"Chrome|2|2|1|50.0%|", "Firefox|2|0|0|0.0%|"});

  // A failed run shows the tool's error, not a chart.
  const json::object failed{
      {"content", json::array{json::object{{"type", "text"}, {"text", "PostHog refused"}}}},
      {"isError", true}};
  const auto error_seen = rendered_funnel(html, failed, arguments, "light", "funnel-error");
  CHECK(error_seen.at("facts").at("status") == "PostHog refused");
  CHECK(error_seen.at("facts").at("steps").as_array().empty());
}
