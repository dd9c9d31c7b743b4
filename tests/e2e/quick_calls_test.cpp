// Calls of a tool that has been quick lately run on the stdio reading thread instead of a worker
// (transport/stdio_reader.hpp). When such a call runs long after all, the standby thread takes over
// reading: ping, other calls and cancellation are answered as before, the call deadline still holds, and
// the roles swap back and forth as often as it happens.
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "mcp_session.hpp"
#include "slow_marker.hpp"

using namespace mcpd_test;
using namespace std::chrono_literals;

namespace {

// More quick calls in a row than QuickCallHistory::kQuickInARow (8): the next call runs in place.
constexpr int kWarmingCalls = 12;
// Logged (at debug) each time the standby takes over reading from a call that runs long.
constexpr std::string_view kHandOver =
    "a call ran long on the stdio reading thread; the standby thread reads on";

// Debug logging (the hand-over line), and a quick-call limit that a sanitizer's slowdown cannot miss:
// testkit.slow with ms 0 takes tens of microseconds, under TSan sometimes more than the default 200.
ServeOptions debug_logging(json::object server = {}) {
  ServeOptions options = standard_serve_options();
  server["log_level"] = "debug";
  if (!server.contains("quick_call_us")) server["quick_call_us"] = 100000;
  options.config = json::object{{"server", std::move(server)}};
  return options;
}

void make_slow_tool_quick(McpSession& session) {
  for (int i = 0; i < kWarmingCalls; ++i)
    CHECK_THAT(text_of(session.call_tool_result("testkit.slow", {{"ms", 0}})), Catch::Contains("slept 0 ms"));
}

std::size_t count_of(const std::string& text, std::string_view what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++count;
  return count;
}

}  // namespace

TEST_CASE("a quick tool's call that runs long on the reading thread: ping, calls and cancel still answer",
          "[timing][quick]") {
  TempDir dir;
  McpSession session(debug_logging());
  session.initialize();
  for (int round = 1; round <= 3; ++round) {
    INFO("round " << round);
    make_slow_tool_quick(session);
    // A warming call may itself run past the hand-over time on a loaded machine: count from here.
    session.collect_for(100ms);
    const auto hand_overs_before = count_of(session.process().stderr_text(), kHandOver);
    const auto marker = dir.path() / ("slow" + std::to_string(round) + ".marker");
    const auto started = std::chrono::steady_clock::now();
    const auto slow_id = session.send_request(
        "tools/call",
        {{"name", "testkit.slow"}, {"arguments", {{"ms", 8000}, {"cancel_marker", marker.string()}}}});
    REQUIRE(wait_for_marker(marker, "started", 5s));

    // The reading thread is inside testkit.slow; the standby reads these.
    session.expect_ping_answered(1500ms);
    CHECK(session.call_tool_result("testkit.echo", {{"value", round}}, 1500ms)
              .at("structuredContent")
              .at("value") == round);
    session.notify("notifications/cancelled", {{"requestId", slow_id}, {"reason", "enough"}});
    CHECK(wait_for_marker(marker, "cancelled", 3s));
    CHECK(std::chrono::steady_clock::now() - started < 8000ms);

    // The call ran in place: the standby took over reading while it ran.
    session.collect_for(200ms);
    INFO(session.diagnostics());
    CHECK(count_of(session.process().stderr_text(), kHandOver) > hand_overs_before);
    for (const auto& message : session.backlog()) CHECK_FALSE(has_id(message, slow_id));
    session.clear_backlog();
  }
  // Both threads are back: the session serves as before and ends cleanly at EOF.
  session.expect_ping_answered();
  session.process().close_stdin();
  CHECK(session.process().wait_exit(10s) == 0);
}

TEST_CASE("a quick tool's call that runs in place still meets the call deadline",
          "[timing][quick][deadline]") {
  McpSession session(debug_logging({{"call_timeout_ms", 1000}}));
  session.initialize();
  make_slow_tool_quick(session);
  const auto started = std::chrono::steady_clock::now();
  const auto slow_id =
      session.send_request("tools/call", {{"name", "testkit.slow"}, {"arguments", {{"ms", 6000}}}});
  session.expect_ping_answered(1500ms);
  const auto response = session.await_response(slow_id, 6000ms);
  INFO(json::serialize(response) << "\n" << session.diagnostics());
  CHECK(error_code_of(response) == -32001);
  const auto answered_after = std::chrono::steady_clock::now() - started;
  CHECK(answered_after >= 900ms);
  CHECK(answered_after < 5000ms);
  CHECK_THAT(session.process().stderr_text(), Catch::Contains(std::string(kHandOver)));
  session.expect_ping_answered();
}

TEST_CASE("pipelined calls of a quick tool are all answered, each under its own id", "[timing][quick]") {
  McpSession session;
  session.initialize();
  make_slow_tool_quick(session);
  constexpr int kCalls = 500;
  std::vector<json::value> ids;
  for (int i = 0; i < kCalls; ++i)
    ids.push_back(
        session.send_request("tools/call", {{"name", "testkit.echo"}, {"arguments", {{"value", i}}}}));
  for (int i = 0; i < kCalls; ++i) {
    const auto response = session.await_response(ids[static_cast<std::size_t>(i)], 10s);
    REQUIRE(response.contains("result"));
    CHECK(response.at("result").at("structuredContent").at("value") == i);
  }
}

TEST_CASE("server.quick_call_us 0: every call goes to the workers", "[timing][quick]") {
  McpSession session(debug_logging({{"quick_call_us", 0}}));
  session.initialize();
  make_slow_tool_quick(session);
  const auto slow_id =
      session.send_request("tools/call", {{"name", "testkit.slow"}, {"arguments", {{"ms", 300}}}});
  session.expect_ping_answered(1500ms);
  CHECK_THAT(text_of(session.await_response(slow_id, 5s).at("result").as_object()),
             Catch::Contains("slept 300 ms"));
  CHECK(count_of(session.process().stderr_text(), kHandOver) == 0);
}
