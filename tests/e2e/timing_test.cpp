// Calls that take time: other requests are not blocked behind them, they can
// be cancelled, they report progress, and they finish when stdin closes.
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "mcp_session.hpp"
#include "slow_marker.hpp"

using namespace mcpd_test;
using namespace std::chrono_literals;

namespace {

json::object call_params(std::string_view name, json::object arguments,
                         std::optional<json::value> token = {}) {
  json::object params{{"name", name}, {"arguments", std::move(arguments)}};
  if (token) params["_meta"] = json::object{{"progressToken", *token}};
  return params;
}

}  // namespace

TEST_CASE("a slow call does not delay ping or other calls", "[timing]") {
  McpSession session;
  session.initialize();
  const auto started = std::chrono::steady_clock::now();
  const auto slow_id = session.send_request("tools/call", call_params("testkit.slow", {{"ms", 3000}}));

  session.expect_ping_answered(2000ms);
  const auto fast = session.call_tool_result("testkit.echo", {{"value", "fast"}}, 2000ms);
  CHECK(fast.at("structuredContent").as_object().at("value") == "fast");
  // Both answers came while the slow call was still running.
  CHECK(std::chrono::steady_clock::now() - started < 3000ms);

  const auto slow = session.await_response(slow_id, 10s);
  INFO(json::serialize(slow));
  CHECK(std::chrono::steady_clock::now() - started >= 3000ms);
  CHECK_THAT(text_of(slow.at("result").as_object()), Catch::Contains("slept 3000 ms"));
}

TEST_CASE("a cancelled call gets no response and its handler sees the cancellation", "[timing]") {
  TempDir dir;
  const auto marker = dir.path() / "slow.marker";
  McpSession session;
  session.initialize();
  const auto slow_id = session.send_request(
      "tools/call", call_params("testkit.slow", {{"ms", 8000}, {"cancel_marker", marker.string()}}));
  REQUIRE(wait_for_marker(marker, "started", 5s));

  session.notify("notifications/cancelled",
                 {{"requestId", slow_id}, {"reason", "the test changed its mind"}});
  CHECK(wait_for_marker(marker, "cancelled", 3s));

  // The session goes on, and no response for the cancelled id ever shows up.
  session.expect_ping_answered();
  session.collect_for(500ms);
  for (const auto& message : session.backlog()) {
    INFO(json::serialize(message));
    CHECK_FALSE(has_id(message, slow_id));
  }
  CHECK(read_marker(marker) == "cancelled");
}

TEST_CASE("cancelling an unknown or finished request is harmless", "[timing]") {
  McpSession session;
  session.initialize();
  session.notify("notifications/cancelled", {{"requestId", 424242}});
  session.notify("notifications/cancelled", {{"requestId", "never-sent"}});
  const auto echo_id = session.send_request("tools/call", call_params("testkit.echo", {{"value", 1}}));
  const auto echoed = session.await_response(echo_id);
  CHECK(echoed.contains("result"));
  session.notify("notifications/cancelled", {{"requestId", echo_id}});  // already answered
  session.expect_ping_answered();
  session.collect_for(200ms);
  CHECK(session.backlog().empty());
}

TEST_CASE("progress notifications carry the request's progressToken", "[timing]") {
  const json::value token = GENERATE(json::value("progress-token-1"), json::value(77));
  McpSession session;
  session.initialize();
  const auto id = session.send_request("tools/call", call_params("testkit.progress", {{"steps", 4}}, token));
  const auto response = session.await_response(id);
  INFO(json::serialize(response));
  CHECK_FALSE(is_error_result(response.at("result").as_object()));

  const auto progress = session.notifications("notifications/progress");
  REQUIRE(progress.size() == 4);
  double previous = 0;
  for (std::size_t i = 0; i < progress.size(); ++i) {
    const auto& params = progress[i].at("params").as_object();
    INFO(json::serialize(params));
    CHECK(params.at("progressToken") == token);
    const double value = params.at("progress").to_number<double>();
    CHECK(value == static_cast<double>(i + 1));
    CHECK(value > previous);
    previous = value;
    CHECK(params.at("total").to_number<double>() == 4.0);
    CHECK(params.at("message") == json::value("step " + std::to_string(i + 1) + " of 4"));
  }
}

TEST_CASE("no progress notifications without a progressToken", "[timing]") {
  McpSession session;
  session.initialize();
  const auto result = session.call_tool_result("testkit.progress", {{"steps", 3}});
  CHECK_FALSE(is_error_result(result));
  session.expect_ping_answered();
  CHECK(session.notifications("notifications/progress").empty());
}

TEST_CASE("EOF on stdin lets an in-flight call finish, then mcpd exits 0", "[timing]") {
  McpSession session;
  session.initialize();
  const auto slow_id = session.send_request("tools/call", call_params("testkit.slow", {{"ms", 800}}));
  session.process().close_stdin();

  const auto response = session.await_response(slow_id, 10s);
  INFO(json::serialize(response));
  CHECK_THAT(text_of(response.at("result").as_object()), Catch::Contains("slept 800 ms"));
  const auto exit_code = session.process().wait_exit(10s);
  INFO(session.diagnostics());
  REQUIRE(exit_code.has_value());
  CHECK(*exit_code == 0);
}

TEST_CASE("slow calls run concurrently on the worker pool", "[timing]") {
  McpSession session;
  session.initialize();
  const auto started = std::chrono::steady_clock::now();
  std::vector<json::value> ids;
  for (int i = 0; i < 3; ++i)
    ids.push_back(session.send_request("tools/call", call_params("testkit.slow", {{"ms", 1000}})));
  for (const auto& id : ids) {
    const auto response = session.await_response(id);
    INFO(json::serialize(response));
    CHECK_THAT(text_of(response.at("result").as_object()), Catch::Contains("slept 1000 ms"));
  }
  // Run one after another they would need 3 s.
  CHECK(std::chrono::steady_clock::now() - started < 2500ms);
}
