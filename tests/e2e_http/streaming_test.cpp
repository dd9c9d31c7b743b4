// Requests whose calls produce messages before their response are answered
// with an SSE stream; messages of no request travel on the GET stream.
#include <catch2/catch.hpp>

#include <fstream>
#include <future>
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

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  return text;
}

bool wait_for_file_text(const std::filesystem::path& path, const std::string& text,
                        std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (read_file(path) == text) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

}  // namespace

TEST_CASE("a call with progress is answered with an SSE stream that its response ends", "[e2e_http][sse]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  client.initialize();
  auto request = client.make_request(
      "tools/call",
      {{"name", "testkit.progress"}, {"arguments", {{"steps", 3}}}, {"_meta", {{"progressToken", "tok-1"}}}});
  auto reply = client.post(request);
  REQUIRE(reply.status == 200);
  REQUIRE(reply.is_sse());
  const auto events = reply.events();
  REQUIRE(events.size() == 5);

  // The priming event: an id and empty data, with the reconnection delay.
  CHECK_FALSE(events[0].id.empty());
  CHECK(events[0].data.empty());
  CHECK(events[0].retry == 1000);

  std::set<std::string> ids;
  for (std::size_t i = 0; i < events.size(); ++i) {
    CHECK_FALSE(events[i].id.empty());
    ids.insert(events[i].id);
  }
  CHECK(ids.size() == events.size());
  for (int step = 1; step <= 3; ++step) {
    auto note = event_message(events[static_cast<std::size_t>(step)]);
    REQUIRE(note.at("method") == json::value("notifications/progress"));
    CHECK(note.at("params").at("progressToken") == json::value("tok-1"));
    CHECK(note.at("params").at("progress").to_number<int>() == step);
  }
  auto response = event_message(events.back());
  CHECK(response.at("id") == request.at("id"));
  CHECK(response.at("result").at("content").at(0).at("text") == json::value("reported 3 steps"));
}

TEST_CASE("the GET stream carries messages that belong to no request", "[e2e_http][sse]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  client.initialize();

  SseListener listener(server.base_url(), "/mcp", client.session_headers());
  REQUIRE(listener.wait_status(5000ms) == 200);
  CHECK(listener.header("Content-Type").rfind("text/event-stream", 0) == 0);
  auto priming = listener.wait_for([](const SseEvent& e) { return !e.id.empty() && e.data.empty(); }, 5000ms);
  CHECK(priming.has_value());

  REQUIRE(client.request("resources/subscribe", {{"uri", "testkit://hello"}}).contains("result"));
  auto touch = client.post(client.make_request(
      "tools/call", {{"name", "notifier.touch"}, {"arguments", {{"uri", "testkit://hello"}}}}));
  REQUIRE(touch.status == 200);
  // The notification is not the call's: it does not travel with its response.
  CHECK(touch.body.find("resources/updated") == std::string::npos);

  auto updated = listener.wait_for(
      [](const SseEvent& e) { return is_method(e, "notifications/resources/updated"); }, 5000ms);
  REQUIRE(updated.has_value());
  CHECK(event_message(*updated).at("params").at("uri") == json::value("testkit://hello"));
  CHECK_FALSE(updated->id.empty());
}

TEST_CASE("several GET streams may be open at once, and each message goes to one of them", "[e2e_http][sse]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  client.initialize();
  std::vector<std::unique_ptr<SseListener>> listeners;
  for (int i = 0; i < 3; ++i) {
    listeners.push_back(std::make_unique<SseListener>(server.base_url(), "/mcp", client.session_headers()));
    REQUIRE(listeners.back()->wait_status(5000ms) == 200);
  }
  REQUIRE(client.request("resources/subscribe", {{"uri", "testkit://hello"}}).contains("result"));
  REQUIRE(client.call_tool("notifier.touch", {{"uri", "testkit://hello"}}).contains("result"));
  std::this_thread::sleep_for(500ms);
  int received = 0;
  for (auto& l : listeners)
    for (const auto& e : l->events()) received += is_method(e, "notifications/resources/updated") ? 1 : 0;
  CHECK(received == 1);
}

TEST_CASE("a server-to-client request travels on the POST stream and its answer comes back as a POST",
          "[e2e_http][sse]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  client.initialize({{"sampling", json::object{}}});
  McpHttpClient answerer(server.base_url());
  answerer.use_session(client.session_id());

  int answer_status = 0;
  auto request = client.make_request("tools/call",
                                     {{"name", "testkit.ask_client"}, {"arguments", {{"prompt", "6*7?"}}}});
  auto reply = client.post_streaming(request, [&](const SseEvent& event) {
    auto message = event_message(event);
    if (message.contains("method") && message.at("method") == json::value("sampling/createMessage")) {
      CHECK(message.contains("id"));
      auto answer = answerer.post(json::object{{"jsonrpc", "2.0"},
                                               {"id", message.at("id")},
                                               {"result",
                                                {{"role", "assistant"},
                                                 {"content", {{"type", "text"}, {"text", "42"}}},
                                                 {"model", "test-model"}}}});
      answer_status = answer.status;
    }
    return true;
  });
  REQUIRE(reply.status == 200);
  CHECK(reply.is_sse());
  CHECK(answer_status == 202);
  auto response = reply.response();
  CHECK(response.at("id") == request.at("id"));
  CHECK(response.at("result").at("structuredContent").at("answer").at("content").at("text") ==
        json::value("42"));
}

TEST_CASE("a request cancelled by the client ends its POST without a response", "[e2e_http][sse]") {
  McpdHttpServer server;
  McpHttpClient client(server.base_url());
  client.initialize();
  McpHttpClient canceller(server.base_url());
  canceller.use_session(client.session_id());

  const auto marker = server.work_dir() / "slow.marker";
  auto request = client.make_request(
      "tools/call",
      {{"name", "testkit.slow"}, {"arguments", {{"ms", 20000}, {"cancel_marker", marker.string()}}}});
  const auto started = std::chrono::steady_clock::now();
  auto pending = std::async(std::launch::async, [&] { return client.post(request); });
  REQUIRE(wait_for_file_text(marker, "started", 5000ms));

  auto cancel =
      canceller.post(json::object{{"jsonrpc", "2.0"},
                                  {"method", "notifications/cancelled"},
                                  {"params", {{"requestId", request.at("id")}, {"reason", "test"}}}});
  CHECK(cancel.status == 202);
  REQUIRE(pending.wait_for(5000ms) == std::future_status::ready);
  auto reply = pending.get();
  CHECK(std::chrono::steady_clock::now() - started < 10s);
  CHECK(reply.status == 202);
  CHECK(reply.body.find("\"result\"") == std::string::npos);
  CHECK(wait_for_file_text(marker, "cancelled", 5000ms));
  // The session goes on.
  CHECK(canceller.request("ping").contains("result"));
}
