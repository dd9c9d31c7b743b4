// One stdio process, both eras (MCP 2026-07-28 and the initialize-based
// revisions): a modern request describes itself in params._meta and needs no
// handshake; a legacy initialize still opens a legacy session beside it, and
// neither borrows the other's capabilities or log level.
#include <catch2/catch.hpp>

#include "fault_support.hpp"
#include "mcp_session.hpp"
#include "response_checks.hpp"

using namespace mcpd_test;

namespace {

bool is_log(const json::value& message) {
  const auto* o = message.if_object();
  return o != nullptr && o->contains("method") && o->at("method") == "notifications/message";
}

}  // namespace

TEST_CASE("stdio: server/discover answers without initialize and commits to no era", "[dual-era]") {
  McpSession session;
  const auto discover = result_of(session.request("server/discover", modern()));
  CHECK(discover.at("resultType") == "complete");
  CHECK(discover.at("supportedVersions") == json::array{"2026-07-28"});
  const auto& capabilities = discover.at("capabilities").as_object();
  for (const auto* name : {"tools", "resources", "prompts"}) CHECK(capabilities.contains(name));
  CHECK(discover.at("ttlMs").is_int64());
  CHECK(discover.at("cacheScope") == "public");
  CHECK_FALSE(discover.contains("serverInfo"));
  const auto& server_info = discover.at("_meta").at("io.modelcontextprotocol/serverInfo").as_object();
  CHECK(server_info.at("version") == json::value(BuildPaths::project_version()));

  // The same process still opens a legacy session afterwards.
  const auto initialized = session.initialize("2025-06-18");
  CHECK(initialized.at("protocolVersion") == "2025-06-18");
  session.expect_ping_answered();
}

TEST_CASE("stdio: modern requests are served before, beside and after a legacy session", "[dual-era]") {
  McpSession session;
  const auto tools = result_of(session.request("tools/list", modern()));
  CHECK(tools.at("resultType") == "complete");
  CHECK(tools.at("cacheScope") == "public");
  const auto names = names_of(tools.at("tools").as_array());
  CHECK(std::is_sorted(names.begin(), names.end()));  // deterministic order

  const auto echoed = result_of(
      session.request("tools/call", modern({{"name", "testkit.echo"}, {"arguments", {{"value", 42}}}})));
  CHECK(echoed.at("resultType") == "complete");
  CHECK(echoed.at("structuredContent").at("value") == 42);
  CHECK_FALSE(echoed.contains("ttlMs"));  // tool results are not cacheable

  // A legacy request before initialize is still refused, and says how to send a modern one.
  const auto refused = error_of(session.request("tools/list"));
  CHECK(std::string(refused.at("message").as_string()).find("io.modelcontextprotocol/protocolVersion") !=
        std::string::npos);

  session.initialize("2025-03-26");
  // Legacy results keep their revision's shape: no structuredContent before 2025-06-18, no resultType.
  const auto legacy = session.call_tool_result("testkit.echo", {{"value", 1}});
  CHECK_FALSE(legacy.contains("structuredContent"));
  CHECK_FALSE(legacy.contains("resultType"));
  // The modern path is untouched by the session's version.
  const auto again = result_of(
      session.request("tools/call", modern({{"name", "testkit.echo"}, {"arguments", {{"value", 2}}}})));
  CHECK(again.at("structuredContent").at("value") == 2);
}

TEST_CASE("stdio: modern errors carry their codes and echo the request id", "[dual-era]") {
  McpSession session;
  SECTION("missing clientCapabilities: -32602") {
    json::object params{{"_meta", {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"}}}};
    const auto id = session.send_request("tools/list", params);
    const auto response = session.await_response(id);
    CHECK(response.at("id") == id);
    CHECK(error_of(response).at("code") == -32602);
  }
  SECTION("unsupported version: -32022 with supported and requested") {
    json::object params = modern();
    params["_meta"].as_object()["io.modelcontextprotocol/protocolVersion"] = "2099-01-01";
    const auto& error = error_of(session.request("server/discover", params));
    CHECK(error.at("code") == -32022);
    CHECK(error.at("data").at("requested") == "2099-01-01");
    CHECK(error.at("data").at("supported") == json::array{"2026-07-28"});
  }
  SECTION("methods of the handshake era: -32601") {
    for (const auto* method : {"initialize", "ping", "logging/setLevel", "resources/subscribe"}) {
      INFO(method);
      CHECK(error_of(session.request(method, modern())).at("code") == -32601);
    }
  }
  SECTION("a missing resource: -32602 with the uri (the legacy code is -32002)") {
    const auto& error = error_of(session.request("resources/read", modern({{"uri", "nothing://here"}})));
    CHECK(error.at("code") == -32602);
    CHECK(error.at("data").at("uri") == "nothing://here");
    session.initialize();
    CHECK(error_of(session.request("resources/read", {{"uri", "nothing://here"}})).at("code") == -32002);
  }
  SECTION("a batch carrying a modern request is refused whole") {
    session.send(json::array{
        json::object{{"jsonrpc", "2.0"}, {"id", 5}, {"method", "tools/list"}, {"params", modern()}}});
    const auto reply = session.await_message(
        [](const json::value& m) { return m.is_object() && m.as_object().contains("error"); });
    REQUIRE(reply);
    CHECK(reply->at("error").at("code") == -32600);
  }
}

TEST_CASE("stdio: a modern request never uses the legacy session's capabilities", "[dual-era]") {
  McpSession session;
  // The legacy session declares sampling; the modern request does not.
  session.initialize("2025-11-25", {{"sampling", json::object{}}});
  const auto& error = error_of(session.request("tools/call", modern({{"name", "testkit.ask_client"}})));
  CHECK(error.at("code") == -32021);
  CHECK(error.at("data").at("requiredCapabilities") == json::object{{"sampling", json::object{}}});

  // With the capability declared, the modern request is still never sent a
  // server->client request (2026-07-28 has none): the waiting tool's question
  // comes back as an input_required result instead.
  const auto answered = result_of(session.request(
      "tools/call", modern({{"name", "testkit.ask_client"}}, {{"sampling", json::object{}}})));
  CHECK(answered.at("resultType") == "input_required");
  REQUIRE(answered.at("inputRequests").as_object().size() == 1);
  CHECK(answered.at("inputRequests").as_object().begin()->value().at("method") == "sampling/createMessage");
  session.collect_for(milliseconds(200));
  CHECK_FALSE(session.await_message(
      [](const json::value& m) {
        return m.is_object() && m.as_object().contains("method") &&
               m.at("method") == "sampling/createMessage";
      },
      milliseconds(50)));
}

TEST_CASE("stdio: log messages reach a modern request only at the level it asked for",
          "[dual-era][logging]") {
  McpSession session;
  // No logLevel: no notifications/message at all.
  result_of(session.request("tools/call", modern({{"name", "testkit.log"}})));
  session.collect_for(milliseconds(200));
  CHECK_FALSE(session.await_message(is_log, milliseconds(50)));

  // logLevel warning: warning and error, not debug or info.
  json::object params = modern({{"name", "testkit.log"}});
  params["_meta"].as_object()["io.modelcontextprotocol/logLevel"] = "warning";
  result_of(session.request("tools/call", params));
  std::vector<std::string> levels;
  while (auto log = session.await_message(is_log, milliseconds(300)))
    levels.emplace_back(log->at("params").at("level").as_string());
  CHECK(levels == std::vector<std::string>{"warning", "error"});

  // An unknown level is -32602, before the tool runs.
  params["_meta"].as_object()["io.modelcontextprotocol/logLevel"] = "loud";
  CHECK(error_of(session.request("tools/call", params)).at("code") == -32602);
}

TEST_CASE("stdio: progress and cancellation of a modern call", "[dual-era]") {
  McpSession session;
  json::object params =
      modern({{"name", "testkit.progress"}, {"arguments", {{"steps", 3}, {"delay_ms", 10}}}});
  params["_meta"].as_object()["progressToken"] = "p-1";
  result_of(session.request("tools/call", params));
  const auto progress = session.notifications("notifications/progress");
  REQUIRE(progress.size() == 3);
  for (const auto& p : progress) CHECK(p.at("params").at("progressToken") == "p-1");

  const auto id =
      session.send_request("tools/call", modern({{"name", "testkit.slow"}, {"arguments", {{"ms", 60000}}}}));
  session.collect_for(milliseconds(100));
  session.notify("notifications/cancelled", {{"requestId", id}, {"reason", "test"}});
  // A cancelled request is never answered; the server goes on serving.
  CHECK_FALSE(session.await_message(
      [&](const json::value& m) {
        return m.is_object() && m.as_object().if_contains("id") && m.at("id") == id;
      },
      milliseconds(500)));
  result_of(session.request("tools/list", modern()));
}

TEST_CASE("stdio: the W3C trace context in _meta reaches the plugin, in either era and in nested calls",
          "[dual-era][trace]") {
  McpSession session;
  const std::string traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  auto with_trace = [&](json::object params, std::string_view value) {
    params["_meta"].as_object()["traceparent"] = value;
    params["_meta"].as_object()["tracestate"] = "congo=t61rcWkgMzE";
    return params;
  };
  const auto modern_call =
      result_of(session.request("tools/call", with_trace(modern({{"name", "testkit.trace"}}), traceparent)));
  CHECK(modern_call.at("structuredContent").at("traceparent") == json::value(json::string(traceparent)));
  CHECK(modern_call.at("structuredContent").at("tracestate") == "congo=t61rcWkgMzE");
  // What the SDK's HTTP client would send upstream.
  CHECK(modern_call.at("structuredContent").at("upstream_traceparent") ==
        json::value(json::string(traceparent)));

  // Malformed (an all-zero trace id, upper case, wrong length): dropped, tracestate with it.
  for (std::string_view bad : {"00-00000000000000000000000000000000-b7ad6b7169203331-01",
                               "00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01", "00-0af7-b7-01"}) {
    INFO(bad);
    const auto dropped =
        result_of(session.request("tools/call", with_trace(modern({{"name", "testkit.trace"}}), bad)));
    CHECK(dropped.at("structuredContent").at("traceparent") == "");
    CHECK(dropped.at("structuredContent").at("tracestate") == "");
  }

  session.initialize();
  json::object legacy{{"name", "testkit.call_other"},
                      {"arguments", {{"name", "testkit.trace"}, {"arguments", json::object{}}}},
                      {"_meta", {{"traceparent", traceparent}}}};
  const auto nested = result_of(session.request("tools/call", legacy));
  CHECK(nested.at("structuredContent").at("nested").at("structuredContent").at("traceparent") ==
        json::value(json::string(traceparent)));
}

TEST_CASE("stdio: mcpd's log lines about a request carry its trace id", "[dual-era][trace]") {
  McpSession session(faulty_serve_options({}));
  json::object params = modern({{"name", "garbage.throws"}});
  params["_meta"].as_object()["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const auto response = session.request("tools/call", params);
  INFO(json::serialize(response));
  // The handler's exception is logged by the worker that ran it, and says which trace it belongs to.
  REQUIRE(session.process().wait_for_stderr("trace_id=4bf92f3577b34da6a3ce929d0e0e4736", milliseconds(5000)));
  const auto log = session.process().stderr_text();
  const auto line_start = log.rfind('\n', log.find("trace_id=4bf92f3577b34da6a3ce929d0e0e4736"));
  CHECK(log.substr(line_start + 1, 200).find("tool handler threw") != std::string::npos);
  // A request without one adds nothing.
  session.request("tools/call", modern({{"name", "garbage.throws"}}));
  session.collect_for(milliseconds(200));
  CHECK(session.process().stderr_text().find("trace_id=\n") == std::string::npos);
}
