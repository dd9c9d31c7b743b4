// tracking.capture_batch end to end: order and uuids kept, size-limit splitting, 413 halving, partial
// failures reported per event, retries that never duplicate.
#include <set>

#include "tracking_harness.hpp"

using namespace tracking_test;

namespace {

json::array make_events(int count, std::size_t padding = 0) {
  json::array events;
  for (int i = 0; i < count; ++i) {
    events.push_back(json::object{{"event", "step"},
                                  {"distinct_id", "user-" + std::to_string(i)},
                                  {"properties", {{"n", i}, {"pad", std::string(padding, 'x')}}}});
  }
  return events;
}

// The "n" property of every event PostHog received, in arrival order.
std::vector<std::int64_t> received_numbers(const FakePosthog& fake) {
  std::vector<std::int64_t> numbers;
  for (const auto& event : fake.received_events())
    numbers.push_back(event.at("properties").at("n").as_int64());
  return numbers;
}

std::vector<std::int64_t> iota(int count) {
  std::vector<std::int64_t> v;
  for (int i = 0; i < count; ++i) v.push_back(i);
  return v;
}

}  // namespace

TEST_CASE("capture_batch sends events in order in one request with distinct uuids", "[capture_batch]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking.capture_batch", {{"events", make_events(5)}});
  CHECK(result.at("submitted") == 5);
  CHECK(result.at("accepted") == 5);
  CHECK(result.at("requests") == 1);
  CHECK_FALSE(result.contains("failed"));
  const auto& uuids = result.at("uuids").as_array();
  REQUIRE(uuids.size() == 5);
  std::set<std::string> distinct;
  for (const auto& u : uuids) distinct.insert(std::string(u.as_string()));
  CHECK(distinct.size() == 5);
  CHECK(received_numbers(fake) == iota(5));
  const auto events = fake.received_events();
  for (std::size_t i = 0; i < events.size(); ++i) CHECK(events[i].at("uuid") == uuids[i]);
}

TEST_CASE("capture_batch splits requests at max_request_bytes", "[capture_batch]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake, {{"capture", {{"max_request_bytes", 2000}}}}));
  const auto result = call_ok(*mcpd, "tracking.capture_batch", {{"events", make_events(20, 200)}});
  CHECK(result.at("accepted") == 20);
  const auto requests = fake.requests(kBatch);
  CHECK(requests.size() >= 4);
  CHECK(result.at("requests") == static_cast<std::int64_t>(requests.size()));
  for (const auto& r : requests) CHECK(r.body.size() <= 2000);
  CHECK(received_numbers(fake) == iota(20));
}

TEST_CASE("capture_batch halves a request PostHog refuses with 413 until it fits", "[capture_batch]") {
  FakePosthog fake;
  fake.set_max_body_bytes(3000);  // the server is stricter than the plugin's limit
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking.capture_batch", {{"events", make_events(16, 300)}});
  CHECK(result.at("accepted") == 16);
  CHECK_FALSE(result.contains("failed"));
  const auto requests = fake.requests(kBatch);
  CHECK(requests.size() > 2);
  CHECK(requests.front().body.size() > 3000);  // the first try was the whole batch
  CHECK(received_numbers(fake) == iota(16));   // halves are sent in order
}

TEST_CASE("an event too big even alone fails on its own, the rest are accepted", "[capture_batch]") {
  FakePosthog fake;
  fake.set_max_body_bytes(3000);
  auto mcpd = start_mcpd(tracking_section(fake));
  auto events = make_events(4, 100);
  events[2].as_object()["properties"].as_object()["pad"] = std::string(5000, 'y');
  const auto result = call_ok(*mcpd, "tracking.capture_batch", {{"events", events}});
  CHECK(result.at("accepted") == 3);
  const auto& failed = result.at("failed").as_array();
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].at("index") == 2);
  CHECK(failed[0].at("uuid") == result.at("uuids").at(2));
  CHECK(std::string(failed[0].at("error").as_string()).find("too large") != std::string::npos);
  CHECK(received_numbers(fake) == std::vector<std::int64_t>{0, 1, 3});
}

TEST_CASE("events above max_event_bytes are refused before sending", "[capture_batch]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake, {{"capture", {{"max_event_bytes", 1000}}}}));
  auto events = make_events(3);
  events[1].as_object()["properties"].as_object()["pad"] = std::string(2000, 'z');
  const auto result = call_ok(*mcpd, "tracking.capture_batch", {{"events", events}});
  CHECK(result.at("accepted") == 2);
  REQUIRE(result.at("failed").as_array().size() == 1);
  CHECK(result.at("failed").at(0).at("index") == 1);
  CHECK(std::string(result.at("failed").at(0).at("error").as_string()).find("max_event_bytes") !=
        std::string::npos);
  CHECK(received_numbers(fake) == std::vector<std::int64_t>{0, 2});
}

TEST_CASE("capture_batch retries a 502 with the same uuids", "[capture_batch][retry]") {
  FakePosthog fake;
  fake.inject(kBatch, Fault::http(502));
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto result = call_ok(*mcpd, "tracking.capture_batch", {{"events", make_events(3)}});
  CHECK(result.at("accepted") == 3);
  CHECK(result.at("requests") == 2);
  const auto requests = fake.requests(kBatch);
  REQUIRE(requests.size() == 2);
  const auto first = json::parse(requests[0].body).at("batch");
  const auto second = json::parse(requests[1].body).at("batch");
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(first.at(i).at("uuid") == second.at(i).at("uuid"));
    CHECK(first.at(i).at("uuid") == result.at("uuids").at(i));
  }
}

TEST_CASE("a 400 fails only that request's events, the next request still goes", "[capture_batch][errors]") {
  FakePosthog fake;
  fake.inject(
      kBatch,
      Fault::http(400, R"({"type":"validation_error","code":"invalid_payload","detail":"bad batch"})"));
  auto mcpd = start_mcpd(tracking_section(fake, {{"capture", {{"max_request_bytes", 1500}}}}));
  const auto result = call_ok(*mcpd, "tracking.capture_batch", {{"events", make_events(10, 200)}});
  const auto& failed = result.at("failed").as_array();
  REQUIRE_FALSE(failed.empty());
  CHECK(result.at("accepted").as_int64() + static_cast<std::int64_t>(failed.size()) == 10);
  CHECK(failed[0].at("index") == 0);
  CHECK(std::string(failed[0].at("error").as_string()).find("bad batch") != std::string::npos);
}

TEST_CASE("when nothing is accepted the call is an error with the reason", "[capture_batch][errors]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(
      tracking_section(fake, {{"instances", {{"default", {{"project_api_key", "phc_notthekey000"}}}}}}));
  const auto text = call_error(*mcpd, "tracking.capture_batch", {{"events", make_events(3)}});
  CHECK(text.find("accepted none of the 3 events") != std::string::npos);
  CHECK(text.find("project_api_key") != std::string::npos);
  CHECK(fake.request_count(kBatch) == 1);  // a refused key is not tried again for other requests
}

TEST_CASE("historical_migration is passed to PostHog", "[capture_batch]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake));
  call_ok(*mcpd, "tracking.capture_batch", {{"events", make_events(1)}, {"historical_migration", true}});
  CHECK(json::parse(fake.requests(kBatch).at(0).body).at("historical_migration") == true);
}
