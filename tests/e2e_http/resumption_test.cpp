// Last-Event-ID: a client whose stream connection ended (because the server
// closed it on purpose, the 2025-11-25 polling behaviour, or because the
// connection broke) continues the same stream with a GET and misses nothing.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "mcp_http_client.hpp"
#include "mcpd_http_server.hpp"

using namespace mcpd_http_test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

bool is_method(const SseEvent& event, std::string_view method) {
  auto message = event_message(event);
  return message.contains("method") && message.at("method").as_string() == method;
}

int progress_of(const SseEvent& event) {
  return event_message(event).at("params").at("progress").to_number<int>();
}

}  // namespace

TEST_CASE("a POST stream the server closes early is resumed with GET and Last-Event-ID",
          "[e2e_http][resume]") {
  ServerOptions options;
  options.http["sse_close_after_ms"] = 300;
  options.http["sse_retry_ms"] = 50;
  McpdHttpServer server(options);
  McpHttpClient client(server.base_url());
  client.initialize();

  auto request = client.make_request("tools/call", {{"name", "testkit.progress"},
                                                    {"arguments", {{"steps", 8}, {"delay_ms", 120}}},
                                                    {"_meta", {{"progressToken", 9}}}});
  auto first = client.post(request);
  REQUIRE(first.status == 200);
  REQUIRE(first.is_sse());
  auto events = first.events();
  REQUIRE(events.size() >= 2);
  CHECK(events.front().data.empty());  // priming
  CHECK(events.front().retry == 50);
  // The connection ended before the response, with a retry field last.
  CHECK(events.back().retry == 50);
  for (const auto& e : events) CHECK(event_message(e).contains("result") == false);

  std::string last_id;
  std::vector<int> progress;
  for (const auto& e : events) {
    if (!e.id.empty()) last_id = e.id;
    if (is_method(e, "notifications/progress")) progress.push_back(progress_of(e));
  }
  REQUIRE_FALSE(last_id.empty());

  // Poll until the response arrives, as a client following the spec does.
  bool answered = false;
  for (int round = 0; round < 20 && !answered; ++round) {
    std::this_thread::sleep_for(50ms);
    auto headers = client.session_headers();
    headers.emplace("Last-Event-ID", last_id);
    headers.emplace("Accept", "text/event-stream");
    auto resumed = client.get("/mcp", headers);
    REQUIRE(resumed.status == 200);
    for (const auto& e : resumed.events()) {
      if (!e.id.empty()) last_id = e.id;
      CHECK_FALSE((e.has_data && e.data.empty()));  // no second priming event
      if (is_method(e, "notifications/progress")) progress.push_back(progress_of(e));
      auto message = event_message(e);
      if (message.contains("result")) {
        CHECK(message.at("id") == request.at("id"));
        answered = true;
      }
    }
  }
  CHECK(answered);
  // Every progress notification exactly once, in order.
  CHECK(progress == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8});
}

TEST_CASE("a GET stream whose connection broke is resumed with Last-Event-ID", "[e2e_http][resume]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  client.initialize();
  REQUIRE(client.request("resources/subscribe", {{"uri", "testkit://hello"}}).contains("result"));

  std::string seen_id;
  {
    SseListener first(server.base_url(), "/mcp", client.session_headers());
    REQUIRE(first.wait_status(5000ms) == 200);
    REQUIRE(client.call_tool("notifier.touch", {{"uri", "testkit://hello"}}).contains("result"));
    auto event = first.wait_for(
        [](const SseEvent& e) { return is_method(e, "notifications/resources/updated"); }, 5000ms);
    REQUIRE(event.has_value());
    seen_id = event->id;
    first.stop();  // the connection drops
  }
  // Sent while no connection reads the stream.
  REQUIRE(client.call_tool("notifier.touch", {{"uri", "testkit://hello"}}).contains("result"));
  REQUIRE(client.call_tool("notifier.touch", {{"uri", "testkit://hello"}}).contains("result"));

  auto headers = client.session_headers();
  headers.emplace("Last-Event-ID", seen_id);
  SseListener resumed(server.base_url(), "/mcp", headers);
  REQUIRE(resumed.wait_status(5000ms) == 200);
  std::this_thread::sleep_for(600ms);
  int updates = 0;
  std::set<std::string> ids;
  for (const auto& e : resumed.events()) {
    if (!is_method(e, "notifications/resources/updated")) continue;
    ++updates;
    ids.insert(e.id);
    CHECK(e.id != seen_id);  // nothing already seen is replayed
  }
  CHECK(updates == 2);
  CHECK(ids.size() == 2);
}

TEST_CASE("an unknown Last-Event-ID opens a fresh stream rather than failing", "[e2e_http][resume]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  client.initialize();
  auto headers = client.session_headers();
  headers.emplace("Last-Event-ID", "999-3");
  SseListener listener(server.base_url(), "/mcp", headers);
  CHECK(listener.wait_status(5000ms) == 200);
}
