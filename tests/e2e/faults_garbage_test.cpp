// A plugin whose every handler throws or returns garbage (garbage.so): each
// request is answered with an error that says what went wrong, nothing
// crashes, and the server keeps answering everything else.
#include <catch2/catch.hpp>

#include "fault_support.hpp"

using namespace mcpd_test;
using namespace std::chrono_literals;

namespace {

// An error either way a client can be told: a JSON-RPC error, or an isError result.
std::string failure_text(const json::object& response) {
  if (response.contains("error")) return error_message_of(response);
  const auto& result = response.at("result").as_object();
  if (is_error_result(result)) return text_of(result);
  return {};
}

}  // namespace

TEST_CASE("every handler of a garbage plugin gets an error answer and the server keeps serving",
          "[faults][garbage]") {
  McpSession session(faulty_serve_options(json::object{{"call_timeout_ms", 5000}}));
  session.initialize();
  const auto idle = median_latency(pinger(session));

  struct Case {
    std::string method;
    json::object params;
    std::string says;  // part of the explanation the client must get
  };
  const std::vector<Case> cases = {
      {"tools/call", {{"name", "garbage.throws"}}, "deliberate exception from on_call"},
      {"tools/call", {{"name", "garbage.throws_int"}}, "unknown type"},
      {"tools/call", {{"name", "garbage.unknown_status"}}, "garbage_unknown_status"},
      {"tools/call", {{"name", "garbage.malformed"}}, "garbage_malformed"},
      {"resources/read", {{"uri", "garbage://thrown"}}, "deliberate exception from on_read"},
      {"resources/read", {{"uri", "garbage://item/7"}}, "garbage://item/7"},
      {"prompts/get", {{"name", "garbage.half"}, {"arguments", {{"topic", "x"}}}}, "garbage_half"},
      {"completion/complete",
       {{"ref", {{"type", "ref/resource"}, {"uri", "garbage://item/{id}"}}},
        {"argument", {{"name", "id"}, {"value", "1"}}}},
       "deliberate exception from on_complete"},
      {"completion/complete",
       {{"ref", {{"type", "ref/prompt"}, {"name", "garbage.half"}}},
        {"argument", {{"name", "topic"}, {"value", "a"}}}},
       "Completion"},
  };
  for (const auto& c : cases) {
    const auto response = session.request(c.method, c.params);
    INFO(c.method << " " << json::serialize(c.params) << " -> " << json::serialize(response) << "\n"
                  << session.diagnostics());
    const auto text = failure_text(response);
    CHECK_FALSE(text.empty());
    CHECK_THAT(text, Catch::Contains(c.says));
    session.expect_ping_answered();
  }
  // A well-behaved client's ping while garbage keeps coming: one more garbage request before each ping.
  std::vector<std::pair<json::value, std::size_t>> sent;
  const auto figures =
      measure_under_fault("a plugin throwing or answering garbage from every callback", idle,
                          [&, next = std::size_t{0}]() mutable {
                            const auto& c = cases[next++ % cases.size()];
                            sent.emplace_back(session.send_request(c.method, c.params), next - 1);
                            session.expect_ping_answered();
                          });
  INFO(figures);
  CHECK(figures.within_bound());
  for (const auto& [id, index] : sent) {
    const auto response = session.await_response(id, 10000ms);
    CHECK_THAT(failure_text(response), Catch::Contains(cases[index % cases.size()].says));
  }
  // Still serving, other plugins and this one's listings alike.
  CHECK(text_of(session.call_tool_result("hangs.ok")) == "ok");
  CHECK(session.request_result("tools/list").at("tools").as_array().size() >= 6);
  session.process().close_stdin();
  const auto code = session.process().wait_exit(10000ms);
  REQUIRE(code.has_value());
  CHECK(*code == 0);
}
