// `mcpd serve --stdio` with a watched plugins directory, spoken to in MCP
// 2026-07-28 only (no initialize): a hot swap reaches every
// subscriptions/listen stream that asked for that list, tagged with the
// listen's id, and no other; notifications/cancelled ends a listen silently.
#include <catch2/catch.hpp>

#include "mcp_session.hpp"
#include "support/plugin_dir.hpp"
#include "support/watched_serve.hpp"

using namespace hotswap_test;
using mcpd_test::McpSession;
namespace json = boost::json;
using std::chrono::milliseconds;

namespace {

// The next notification `method` for the listen `id` (nullopt after `timeout`).
std::optional<json::value> await_tagged(McpSession& session, std::string_view method, const json::value& id,
                                        milliseconds timeout = milliseconds(10000)) {
  return session.await_message(
      [&](const json::value& m) {
        const auto* o = m.if_object();
        if (o == nullptr || o->contains("id") || !o->contains("method") ||
            o->at("method").as_string() != method)
          return false;
        const auto* meta = o->at("params").as_object().if_contains("_meta");
        return meta != nullptr &&
               meta->as_object().if_contains("io.modelcontextprotocol/subscriptionId") != nullptr &&
               meta->at("io.modelcontextprotocol/subscriptionId") == id;
      },
      timeout);
}

std::size_t count_method(McpSession& session, std::string_view method) {
  std::size_t n = 0;
  while (session.await_message(
      [&](const json::value& m) {
        return m.is_object() && m.as_object().contains("method") && m.at("method").as_string() == method;
      },
      milliseconds(0)))
    ++n;
  return n;
}

}  // namespace

TEST_CASE("stdio: a hot swap reaches the listen streams that asked for it, tagged with their ids",
          "[stdio][listen][watch]") {
  ScratchDir plugins, scratch;
  deploy(plugins.path(), "swap.so", swap_plugin("v1"));
  McpSession session(watched(plugins, scratch));

  const json::value tools_and_prompts = "all";
  session.send(json::object{
      {"jsonrpc", "2.0"},
      {"id", tools_and_prompts},
      {"method", "subscriptions/listen"},
      {"params",
       mcpd_test::modern(
           {{"notifications",
             {{"toolsListChanged", true}, {"promptsListChanged", true}, {"unknownKind", true}}}})}});
  const json::value resources_only = 7;
  session.send(
      json::object{{"jsonrpc", "2.0"},
                   {"id", resources_only},
                   {"method", "subscriptions/listen"},
                   {"params", mcpd_test::modern({{"notifications", {{"resourcesListChanged", true}}}})}});
  INFO(session.diagnostics());
  auto ack = await_tagged(session, "notifications/subscriptions/acknowledged", tools_and_prompts);
  REQUIRE(ack);
  CHECK(ack->at("params").at("notifications") ==
        json::object{{"toolsListChanged", true}, {"promptsListChanged", true}});
  REQUIRE(await_tagged(session, "notifications/subscriptions/acknowledged", resources_only));

  deploy(plugins.path(), "swap.so", swap_plugin("v2"));
  REQUIRE(await_tagged(session, "notifications/tools/list_changed", tools_and_prompts));
  REQUIRE(await_tagged(session, "notifications/prompts/list_changed", tools_and_prompts));
  // v2 changes no resource list, and nothing went untagged: no legacy session was opened.
  session.collect_for(milliseconds(300));
  CHECK(count_method(session, "notifications/tools/list_changed") == 0);
  CHECK(count_method(session, "notifications/resources/list_changed") == 0);
  const auto listed = session.request_result("tools/call", mcpd_test::modern({{"name", "swap.which"}}));
  CHECK(mcpd_test::text_of(listed) == "2.0.0");

  // Cancelled: no answer to the listen, and nothing more on it.
  session.notify("notifications/cancelled", {{"requestId", tools_and_prompts}});
  session.collect_for(milliseconds(200));
  deploy(plugins.path(), "swap.so", swap_plugin("v1"));
  REQUIRE(session.process().wait_for_stderr("trigger=watch generation=3", milliseconds(10000)));
  session.collect_for(milliseconds(500));
  CHECK(count_method(session, "notifications/tools/list_changed") == 0);
  CHECK_FALSE(session.await_message(
      [&](const json::value& m) {
        return m.is_object() && m.as_object().contains("id") && m.at("id") == tools_and_prompts;
      },
      milliseconds(0)));
}
