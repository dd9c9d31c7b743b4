// Lines a broken or hostile client might send: each gets the right JSON-RPC
// error (or is ignored, where JSON-RPC says so), and the session survives.
// Also: every allowed kind of id, JSON-RPC batches by protocol version, and
// the message size limit.
#include <catch2/catch.hpp>

#include "mcp_session.hpp"

using namespace mcpd_test;
using namespace std::chrono_literals;

namespace {

struct MalformedLine {
  const char* what;
  std::string line;
  // Acceptable error codes; empty means the line must get no response at all.
  std::vector<std::int64_t> codes;
  // The id the error must carry; null when the id could not be trusted.
  json::value id;
  // When the request's id was readable, echoing it instead of null is also right.
  bool id_may_be_null = false;
};

}  // namespace

TEST_CASE("malformed lines get JSON-RPC errors and the session survives", "[malformed]") {
  const auto bad = GENERATE(values<MalformedLine>({
      {"truncated JSON", R"({"jsonrpc": "2.0", "id": 1, "method": "ping")", {-32700}, nullptr},
      {"not JSON at all", "hello there", {-32700}, nullptr},
      {"trailing garbage after the object",
       R"({"jsonrpc": "2.0", "id": 1, "method": "ping"} x)",
       {-32700},
       nullptr},
      {"invalid UTF-8",
       "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\", \"params\": {\"x\": \"\xff\"}}",
       {-32700},
       nullptr},
      {"a number", "42", {-32600}, nullptr},
      {"a string", R"("ping")", {-32600}, nullptr},
      {"null", "null", {-32600}, nullptr},
      {"an empty array", "[]", {-32600}, nullptr},
      {"jsonrpc missing", R"({"id": 5, "method": "ping"})", {-32600}, 5, true},
      {"jsonrpc 1.0", R"({"jsonrpc": "1.0", "id": 6, "method": "ping"})", {-32600}, 6, true},
      {"jsonrpc not a string", R"({"jsonrpc": 2.0, "id": 7, "method": "ping"})", {-32600}, 7, true},
      {"method not a string", R"({"jsonrpc": "2.0", "id": 8, "method": 42})", {-32600}, 8, true},
      {"neither method nor result", R"({"jsonrpc": "2.0", "id": 9})", {-32600}, 9, true},
      {"id is an object", R"({"jsonrpc": "2.0", "id": {"n": 1}, "method": "ping"})", {-32600}, nullptr},
      {"id is an array", R"({"jsonrpc": "2.0", "id": [1], "method": "ping"})", {-32600}, nullptr},
      {"id is a boolean", R"({"jsonrpc": "2.0", "id": true, "method": "ping"})", {-32600}, nullptr},
      {"id is null", R"({"jsonrpc": "2.0", "id": null, "method": "ping"})", {-32600}, nullptr},
      {"params is a string",
       R"({"jsonrpc": "2.0", "id": 10, "method": "tools/list", "params": "x"})",
       {-32600, -32602},
       10},
      {"params is a number",
       R"({"jsonrpc": "2.0", "id": 11, "method": "tools/list", "params": 3})",
       {-32600, -32602},
       11},
      {"an unknown method", R"({"jsonrpc": "2.0", "id": 12, "method": "no/such/method"})", {-32601}, 12},
      {"an empty line", "", {}, nullptr},
      {"an unknown notification",
       R"({"jsonrpc": "2.0", "method": "notifications/no_such_thing"})",
       {},
       nullptr},
      {"a response to a request never sent", R"({"jsonrpc": "2.0", "id": 999, "result": {}})", {}, nullptr},
  }));

  McpSession session;
  session.initialize();
  INFO("case: " << bad.what);
  session.send_line(bad.line);

  if (!bad.codes.empty()) {
    const auto reply = session.next_message(kReplyTimeout);
    REQUIRE(reply.has_value());
    INFO(json::serialize(*reply) << "\n" << session.diagnostics());
    REQUIRE(reply->is_object());
    const auto& response = reply->as_object();
    CHECK(response.at("jsonrpc") == "2.0");
    const auto code = error_code_of(response);
    REQUIRE(code.has_value());
    CHECK(std::find(bad.codes.begin(), bad.codes.end(), *code) != bad.codes.end());
    CHECK_FALSE(error_message_of(response).empty());
    const bool id_is_null = response.at("id").is_null();
    CHECK(
        (has_id(response, bad.id) || (bad.id.is_null() && id_is_null) || (bad.id_may_be_null && id_is_null)));
  }

  // Whatever came before, the next request is answered, and nothing else was said.
  session.expect_ping_answered();
  INFO(session.diagnostics());
  CHECK(session.backlog().empty());
}

TEST_CASE("a line ending in CR LF is accepted", "[malformed]") {
  McpSession session;
  session.initialize();
  session.send_line("{\"jsonrpc\": \"2.0\", \"id\": \"crlf\", \"method\": \"ping\"}\r");
  const auto response = session.await_response("crlf");
  INFO(json::serialize(response));
  CHECK(response.contains("result"));
}

TEST_CASE("ids of every allowed kind are echoed exactly", "[malformed][ids]") {
  const auto id = GENERATE(as<std::string>{}, R"("abc")", R"("")", R"("ünïcødé id")", R"("42")", "0", "7",
                           "-1", "-9007199254740993", "9007199254740993", "9223372036854775807");
  McpSession session;
  session.initialize();
  session.send_line(R"({"jsonrpc": "2.0", "id": )" + id + R"(, "method": "ping"})");
  const auto reply = session.next_message(kReplyTimeout);
  REQUIRE(reply.has_value());
  INFO("sent id " << id << ", got " << json::serialize(*reply));
  CHECK(has_id(*reply, json::parse(id)));
  CHECK(reply->as_object().contains("result"));
}

TEST_CASE("a batch is refused under 2025-11-25", "[malformed][batch]") {
  McpSession session;
  session.initialize("2025-11-25");
  session.send_line(
      R"([{"jsonrpc": "2.0", "id": 20, "method": "ping"}, {"jsonrpc": "2.0", "id": 21, "method": "ping"}])");
  const auto reply = session.next_message(kReplyTimeout);
  REQUIRE(reply.has_value());
  INFO(json::serialize(*reply));
  REQUIRE(reply->is_object());
  CHECK(error_code_of(reply->as_object()) == -32600);
  CHECK(reply->as_object().at("id").is_null());
  session.expect_ping_answered();
  // Neither request of the batch was executed.
  CHECK(session.backlog().empty());
}

TEST_CASE("a batch is handled under 2025-03-26", "[malformed][batch]") {
  McpSession session;
  session.initialize("2025-03-26");
  session.send_line(R"([{"jsonrpc": "2.0", "id": 20, "method": "ping"},)"
                    R"( {"jsonrpc": "2.0", "method": "notifications/no_such_thing"},)"
                    R"( {"jsonrpc": "2.0", "id": "b", "method": "tools/call",)"
                    R"(  "params": {"name": "testkit.echo", "arguments": {"value": 5}}},)"
                    R"( {"jsonrpc": "2.0", "id": 22, "method": "no/such/method"}])");
  const auto reply = session.next_message(kReplyTimeout);
  REQUIRE(reply.has_value());
  INFO(json::serialize(*reply));
  REQUIRE(reply->is_array());
  const auto& responses = reply->as_array();
  // One response per request; none for the notification.
  REQUIRE(responses.size() == 3);
  const auto find = [&](const json::value& id) -> const json::object* {
    for (const auto& response : responses) {
      if (has_id(response, id)) return &response.as_object();
    }
    return nullptr;
  };
  REQUIRE(find(20) != nullptr);
  CHECK(find(20)->at("result").as_object().empty());
  REQUIRE(find("b") != nullptr);
  CHECK_THAT(text_of(find("b")->at("result").as_object()), Catch::Contains("5"));
  REQUIRE(find(22) != nullptr);
  CHECK(error_code_of(*find(22)) == -32601);

  // A batch of notifications only gets no response at all.
  session.send_line(R"([{"jsonrpc": "2.0", "method": "notifications/no_such_thing"}])");
  session.expect_ping_answered();
  CHECK(session.backlog().empty());
}

TEST_CASE("an oversize message gets an error and the session continues", "[malformed][limits]") {
  ServeOptions options = standard_serve_options();
  options.config = json::object{{"server", {{"max_message_bytes", 4096}}}};
  McpSession session(options);
  session.initialize();

  const std::string big(10000, 'x');
  session.send(json::object{{"jsonrpc", "2.0"},
                            {"id", "too-big"},
                            {"method", "tools/call"},
                            {"params", {{"name", "testkit.echo"}, {"arguments", {{"value", big}}}}}});
  const auto reply = session.next_message(kReplyTimeout);
  REQUIRE(reply.has_value());
  INFO(json::serialize(*reply));
  CHECK(error_code_of(reply->as_object()) == -32600);
  CHECK(reply->as_object().at("id").is_null());

  // Far more than the pipe buffer, to prove the host discards it without choking.
  session.send_line(std::string(1 << 20, 'y'));
  const auto second = session.next_message(kReplyTimeout);
  REQUIRE(second.has_value());
  INFO(json::serialize(*second));
  CHECK(error_code_of(second->as_object()) == -32600);

  session.expect_ping_answered();
  // A message under the limit still works.
  const auto small = session.call_tool_result("testkit.echo", {{"value", std::string(2000, 'z')}});
  CHECK(small.at("structuredContent").as_object().at("value").as_string().size() == 2000);
}
