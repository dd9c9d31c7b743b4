// tracking.capture, identify and pageview end to end: real /batch/ bodies, uuids that survive retries,
// and every failure mapped to a message that says what to do.
#include <regex>

#include "tracking_harness.hpp"

using namespace tracking_test;
using mcpd_test::McpSession;

namespace {

const std::regex kUuidV7(R"(^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$)");

json::object only_event(const FakePosthog& fake) {
  const auto events = fake.received_events();
  REQUIRE(events.size() == 1);
  return events.front();
}

}  // namespace

TEST_CASE("capture sends one event to /batch/ with the project key, a UUIDv7 and a timestamp", "[capture]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result =
      call_ok(*mcpd, "tracking.capture",
              {{"event", "signed_up"}, {"distinct_id", "user-1"}, {"properties", {{"plan", "pro"}}}});
  CHECK(result.at("accepted") == 1);
  CHECK(result.at("event") == "signed_up");
  const std::string uuid(result.at("uuid").as_string());
  CHECK(std::regex_match(uuid, kUuidV7));

  const auto requests = fake.requests(kBatch);
  REQUIRE(requests.size() == 1);
  const auto body = json::parse(requests[0].body).as_object();
  CHECK(body.at("api_key") == FakePosthog::kProjectKey);
  CHECK(body.at("historical_migration") == false);
  CHECK(parse_time_ms(std::string(body.at("sent_at").as_string())).has_value());
  const auto event = only_event(fake);
  CHECK(event.at("event") == "signed_up");
  CHECK(event.at("distinct_id") == "user-1");
  CHECK(event.at("uuid") == json::value(uuid));
  CHECK(event.at("properties").at("plan") == "pro");
  CHECK(event.at("properties").at("$lib") == "mcpd-tracking");
  const auto when = parse_time_ms(std::string(event.at("timestamp").as_string()));
  REQUIRE(when.has_value());
  CHECK(std::abs(*when - now_ms()) < 60'000);
}

TEST_CASE("capture keeps the caller's uuid and timestamp", "[capture]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake));
  const std::string uuid = "0190b5c6-7a3e-7c1d-9e2f-3a4b5c6d7e8f";
  const auto result = call_ok(*mcpd, "tracking.capture",
                              {{"event", "imported"},
                               {"distinct_id", "u"},
                               {"uuid", uuid},
                               {"timestamp", "2025-01-31T08:15:00+02:00"}});
  CHECK(result.at("uuid") == json::value(uuid));
  const auto event = only_event(fake);
  CHECK(event.at("uuid") == json::value(uuid));
  CHECK(event.at("timestamp") == "2025-01-31T08:15:00+02:00");
}

TEST_CASE("capture refuses a timestamp that is not ISO-8601 with a zone", "[capture]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake));
  for (const char* bad : {"yesterday", "2025-01-31T08:15:00", "2025-02-30T08:15:00Z", "1738311300"}) {
    const auto text =
        call_error(*mcpd, "tracking.capture", {{"event", "e"}, {"distinct_id", "u"}, {"timestamp", bad}});
    INFO(bad << ": " << text);
    CHECK(text.find("timestamp") != std::string::npos);
    CHECK(text.find("ISO-8601") != std::string::npos);
  }
  CHECK(fake.request_count(kBatch) == 0);
}

TEST_CASE("identify sends $identify with $set, $set_once and $anon_distinct_id", "[capture]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking.identify",
                              {{"distinct_id", "user-9"},
                               {"set", {{"email", "a@example.com"}}},
                               {"set_once", {{"first_plan", "free"}}},
                               {"anonymous_distinct_id", "anon-123"}});
  CHECK(result.at("event") == "$identify");
  const auto event = only_event(fake);
  CHECK(event.at("event") == "$identify");
  CHECK(event.at("distinct_id") == "user-9");
  CHECK(event.at("properties").at("$set").at("email") == "a@example.com");
  CHECK(event.at("properties").at("$set_once").at("first_plan") == "free");
  CHECK(event.at("properties").at("$anon_distinct_id") == "anon-123");
  CHECK(event.at("uuid") == result.at("uuid"));
}

TEST_CASE("pageview sends $pageview with $current_url, $host, $pathname and $title", "[capture]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking.pageview",
                              {{"distinct_id", "v1"},
                               {"url", "https://shop.example.com:8443/cart/items?x=1#top"},
                               {"title", "Cart"},
                               {"referrer", "https://search.example/"}});
  CHECK(result.at("event") == "$pageview");
  const auto properties = only_event(fake).at("properties").as_object();
  CHECK(properties.at("$current_url") == "https://shop.example.com:8443/cart/items?x=1#top");
  CHECK(properties.at("$host") == "shop.example.com:8443");
  CHECK(properties.at("$pathname") == "/cart/items");
  CHECK(properties.at("$title") == "Cart");
  CHECK(properties.at("$referrer") == "https://search.example/");
}

TEST_CASE("a 500 is retried with the same bytes, so the event keeps its uuid", "[capture][retry]") {
  FakePosthog fake;
  fake.inject(kBatch, Fault::http(500), 2);
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking.capture", {{"event", "e"}, {"distinct_id", "u"}});
  const auto requests = fake.requests(kBatch);
  REQUIRE(requests.size() == 3);
  CHECK(requests[0].body == requests[1].body);
  CHECK(requests[1].body == requests[2].body);
  const auto event = json::parse(requests[0].body).at("batch").at(0);
  CHECK(event.at("uuid") == result.at("uuid"));
  CHECK(fake.received_events().size() == 1);  // only the third attempt got through
}

TEST_CASE("a timeout is retried and PostHog sees the same uuid twice, never two events", "[capture][retry]") {
  FakePosthog fake;
  fake.inject(kBatch, Fault::slow(std::chrono::milliseconds(1200)));
  auto mcpd = start_mcpd(tracking_section(fake, {{"instances", {{"default", {{"timeout_ms", 400}}}}}}));
  const auto result = call_ok(*mcpd, "tracking.capture", {{"event", "e"}, {"distinct_id", "u"}});
  // The slow first request was still processed by the server after the client gave up: two copies with one
  // uuid, which PostHog deduplicates.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (fake.received_events().size() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto events = fake.received_events();
  REQUIRE(events.size() == 2);
  CHECK(events[0].at("uuid") == result.at("uuid"));
  CHECK(events[1].at("uuid") == result.at("uuid"));
}

TEST_CASE("503 with Retry-After is honoured before the retry", "[capture][retry]") {
  FakePosthog fake;
  fake.inject(kBatch, Fault::retry_after_header(503, "1"));
  auto mcpd = start_mcpd(tracking_section(fake, {{"retry", {{"max_backoff_ms", 3000}}}}));
  const auto started = std::chrono::steady_clock::now();
  call_ok(*mcpd, "tracking.capture", {{"event", "e"}, {"distinct_id", "u"}});
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(950));
  CHECK(fake.request_count(kBatch) == 2);
}

TEST_CASE("429 asking for longer than max_backoff is reported with the wait, not slept through",
          "[capture][retry]") {
  FakePosthog fake;
  fake.inject(kBatch, Fault::retry_after_header(429, "120"));
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto text = call_error(*mcpd, "tracking.capture", {{"event", "e"}, {"distinct_id", "u"}});
  CHECK(text.find("rate limited") != std::string::npos);
  CHECK(text.find("retry after 120 s") != std::string::npos);
  CHECK(fake.request_count(kBatch) == 1);
}

TEST_CASE("a 400 is not retried and PostHog's reason is reported", "[capture][errors]") {
  FakePosthog fake;
  fake.inject(
      kBatch,
      Fault::http(
          400,
          R"({"type":"validation_error","code":"invalid_payload","detail":"Invalid event: properties too deep"})"));
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto text = call_error(*mcpd, "tracking.capture", {{"event", "e"}, {"distinct_id", "u"}});
  CHECK(text.find("HTTP 400") != std::string::npos);
  CHECK(text.find("properties too deep") != std::string::npos);
  CHECK(fake.request_count(kBatch) == 1);
}

TEST_CASE("a refused project key names the setting to fix and never shows the key", "[capture][errors]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(
      tracking_section(fake, {{"instances", {{"default", {{"project_api_key", "phc_wrongkey12345"}}}}}}));
  const auto text = call_error(*mcpd, "tracking.capture", {{"event", "e"}, {"distinct_id", "u"}});
  CHECK(text.find("HTTP 401") != std::string::npos);
  CHECK(text.find("plugin_config.tracking.instances.default.project_api_key") != std::string::npos);
  CHECK(text.find("phc_wrongkey12345") == std::string::npos);
  CHECK(fake.request_count(kBatch) == 1);
}

TEST_CASE("an unreachable ingest host is retried, then reported with the host setting", "[capture][errors]") {
  std::string closed_url;
  {
    FakePosthog gone;
    closed_url = gone.base_url();
  }
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake, {{"instances", {{"default", {{"api_host", closed_url}}}}}}));
  const auto text = call_error(*mcpd, "tracking.capture", {{"event", "e"}, {"distinct_id", "u"}});
  CHECK(text.find("could not connect to " + closed_url) != std::string::npos);
  CHECK(text.find("after 3 attempts") != std::string::npos);
  CHECK(text.find("api_host") != std::string::npos);
}

TEST_CASE("a slow PostHog hits the per-request timeout", "[capture][errors]") {
  FakePosthog fake;
  fake.inject(kBatch, Fault::slow(std::chrono::milliseconds(2000)));
  auto mcpd = start_mcpd(tracking_section(
      fake, {{"instances", {{"default", {{"timeout_ms", 300}}}}}, {"retry", {{"max_attempts", 1}}}}));
  const auto started = std::chrono::steady_clock::now();
  const auto text = call_error(*mcpd, "tracking.capture", {{"event", "e"}, {"distinct_id", "u"}});
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1900));
  CHECK(text.find("did not answer within 300 ms") != std::string::npos);
  CHECK(text.find("timeout_ms") != std::string::npos);
}

TEST_CASE("quota_limited from PostHog is passed on", "[capture]") {
  FakePosthog fake;
  fake.set_quota_limited({"events"});
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking.capture", {{"event", "e"}, {"distinct_id", "u"}});
  CHECK(result.at("quota_limited") == json::array{"events"});
}
