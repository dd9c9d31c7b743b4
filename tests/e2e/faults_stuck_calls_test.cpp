// A tool that never returns and ignores cancellation (hangs.forever) against
// the call deadline (server.call_timeout_ms): the stuck calls are answered
// with an error once it passes, the pool grows replacement workers so other
// calls keep being served, ping and cancellation keep answering throughout,
// and the plugin is unhealthy: refused once no more workers may be replaced.
#include <catch2/catch.hpp>

#include "fault_support.hpp"

using namespace mcpd_test;
using namespace std::chrono_literals;

namespace {

constexpr auto kCallTimeout = 1500ms;
// Generous for a loaded 2-core machine: a deadline that fires this late is broken.
constexpr auto kDeadlineSlack = 5000ms;

json::object stuck_call_server(unsigned max_abandoned_workers) {
  return json::object{{"worker_threads", 4},
                      {"call_timeout_ms", kCallTimeout.count()},
                      {"max_abandoned_workers", max_abandoned_workers},
                      {"shutdown_timeout_ms", 2000}};
}

json::value call_forever(McpSession& session) {
  return session.send_request("tools/call", {{"name", "hangs.forever"}, {"arguments", json::object{}}});
}

}  // namespace

TEST_CASE("four stuck calls: deadline errors, ping and other tools keep answering, the plugin is refused",
          "[faults][deadline]") {
  McpSession session(faulty_serve_options(stuck_call_server(4)));
  session.initialize();
  const auto idle_ping = median_latency(pinger(session));
  const auto idle_echo = median_latency(echo_caller(session), 15);

  const auto started = std::chrono::steady_clock::now();
  std::vector<json::value> stuck;
  for (int i = 0; i < 4; ++i) stuck.push_back(call_forever(session));
  // Every worker is now inside hangs.forever. The reader still answers ping.
  const auto stuck_ping = measure_under_fault("a plugin blocking forever: 4 calls stuck, every worker taken",
                                              idle_ping, pinger(session));
  const auto measured_within = since(started);
  // Another plugin's tool not called before (no history of quick calls: it needs a worker) waits for
  // one: the first replacement serves it.
  const auto fresh =
      session.call_tool("testkit.strict", {{"name", "still here"}, {"mode", "fast"}, {"count", 1}},
                        kCallTimeout + kDeadlineSlack);
  INFO(json::serialize(fresh) << "\n" << session.diagnostics());
  REQUIRE(fresh.contains("result"));
  CHECK(fresh.at("result").at("structuredContent").at("accepted").at("name") == "still here");
  // testkit.echo, quick in the idle measurement, runs on the stdio reading thread.
  const auto echo =
      session.call_tool("testkit.echo", {{"value", "still here"}}, kCallTimeout + kDeadlineSlack);
  INFO(json::serialize(echo) << "\n" << session.diagnostics());
  REQUIRE(echo.contains("result"));
  CHECK(echo.at("result").at("structuredContent").at("value") == "still here");

  for (const auto& id : stuck) {
    const auto response = session.await_response(id, kCallTimeout + kDeadlineSlack);
    INFO(json::serialize(response));
    CHECK(error_code_of(response) == -32001);
    CHECK_THAT(error_message_of(response), Catch::Contains("server.call_timeout_ms (1500 ms)") &&
                                               Catch::Contains("plugin \"hangs\" is marked unhealthy"));
    CHECK(response.at("error").at("data").at("plugin") == "hangs");
  }
  const auto answered_after = since(started);
  CHECK(answered_after >= kCallTimeout - 100ms);  // not before the deadline
  CHECK(answered_after < kCallTimeout + kDeadlineSlack);

  // Four workers replaced, the limit: hangs is refused at once, even its quick tool.
  const auto refused_at = std::chrono::steady_clock::now();
  const auto refused = session.call_tool("hangs.ok");
  CHECK(since(refused_at) < 1000ms);
  CHECK(error_code_of(refused) == -32003);
  CHECK_THAT(error_message_of(refused), Catch::Contains("Plugin \"hangs\" is unhealthy: 4 calls are") &&
                                            Catch::Contains("server.max_abandoned_workers = 4"));
  // Other plugins are served by the replacement workers, as fast as before.
  CHECK(session.call_tool_result("testkit.echo", {{"value", 2}}).at("structuredContent").at("value") == 2);
  const auto replaced_echo =
      measure_under_fault("a plugin blocking forever: testkit.echo with 4 workers stuck and replaced",
                          idle_echo, echo_caller(session));
  session.expect_ping_answered();
  CHECK_THAT(session.process().stderr_text(),
             Catch::Contains("call exceeded server.call_timeout_ms") && Catch::Contains("plugin=hangs"));

  INFO(stuck_ping << " (measured within " << measured_within.count() << " ms)\n" << replaced_echo);
  // The reader thread never waits for a worker.
  CHECK(stuck_ping.within_bound());
  CHECK(replaced_echo.within_bound());
  CHECK(measured_within < kCallTimeout);  // the stuck figure was taken while they were stuck
}

TEST_CASE("a plugin with a stuck call still serves while replacement workers remain", "[faults][deadline]") {
  McpSession session(faulty_serve_options(stuck_call_server(8)));
  session.initialize();
  const auto id = call_forever(session);
  const auto response = session.await_response(id, kCallTimeout + kDeadlineSlack);
  CHECK(error_code_of(response) == -32001);
  // One worker replaced of eight allowed: calls to hangs still run.
  CHECK(text_of(session.call_tool_result("hangs.ok")) == "ok");
}

TEST_CASE("a cancelled stuck call gets no response, not even at its deadline", "[faults][deadline]") {
  McpSession session(faulty_serve_options(stuck_call_server(4)));
  session.initialize();
  const auto id = call_forever(session);
  session.notify("notifications/cancelled", {{"requestId", id}, {"reason", "the user gave up"}});
  session.expect_ping_answered();
  REQUIRE(session.process().wait_for_stderr("call exceeded server.call_timeout_ms",
                                            kCallTimeout + kDeadlineSlack));
  CHECK(session.process().wait_for_stderr("answered=\"no, the client cancelled it\"", 2000ms));
  session.collect_for(300ms);
  for (const auto& message : session.backlog()) CHECK_FALSE(has_id(message, id));
  // The id is free again, and the server still serves.
  CHECK(text_of(session.call_tool_result("hangs.ok")) == "ok");
}

TEST_CASE("a handler that returns after its deadline makes its plugin healthy again", "[faults][deadline]") {
  // No replacement allowed: a plugin with a stuck call is refused at once.
  auto server = stuck_call_server(0);
  server["call_timeout_ms"] = 300;
  McpSession session(faulty_serve_options(server));
  session.initialize();
  // testkit.slow looks at its cancellation flag, which the deadline sets.
  const auto response = session.call_tool("testkit.slow", {{"ms", 60000}}, kDeadlineSlack);
  CHECK(error_code_of(response) == -32001);
  REQUIRE(session.process().wait_for_stderr("a call that had passed its deadline returned", kDeadlineSlack));
  const auto echo = session.call_tool("testkit.echo", {{"value", "healthy"}});
  INFO(json::serialize(echo));
  CHECK(echo.contains("result"));
}

TEST_CASE("server.call_timeout_ms 0 means no deadline", "[faults][deadline]") {
  auto server = stuck_call_server(4);
  server["call_timeout_ms"] = 0;
  server["worker_threads"] = 2;
  McpSession session(faulty_serve_options(server));
  session.initialize();
  const auto id = call_forever(session);
  session.collect_for(kCallTimeout + 1000ms);
  for (const auto& message : session.backlog()) CHECK_FALSE(has_id(message, id));
  // The other worker is free.
  CHECK(text_of(session.call_tool_result("hangs.ok")) == "ok");
}
