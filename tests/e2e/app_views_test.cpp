// MCP Apps (io.modelcontextprotocol/ui): a plugin's view, the tool linked to it and the tool only the view
// calls, as clients with and without the extension see them, in both eras. A client without the extension
// must see exactly what it would if the plugin had no view.
#include <catch2/catch.hpp>

#include <algorithm>

#include "mcp_session.hpp"
#include "response_checks.hpp"

using namespace mcpd_test;

namespace {

const json::object kApps{
    {"extensions",
     {{"io.modelcontextprotocol/ui", {{"mimeTypes", json::array{"text/html;profile=mcp-app"}}}}}}};

ServeOptions views_only() {
  static const TempDir no_plugins;  // instead of the default directory and its shipped plugins
  ServeOptions options;
  options.plugin_dirs = {no_plugins.path().string()};
  options.plugins = {BuildPaths::test_plugin("views")};
  return options;
}

const json::object* tool_named(const json::object& list, std::string_view name) {
  for (const auto& tool : list.at("tools").as_array())
    if (tool.at("name") == json::value(name)) return &tool.as_object();
  return nullptr;
}

std::vector<std::string> uris_of(const json::object& list) {
  std::vector<std::string> uris;
  for (const auto& resource : list.at("resources").as_array())
    uris.emplace_back(resource.at("uri").as_string());
  return uris;
}

// What every client sees of the linked tool apart from _meta.ui.
void check_plain_count_tool(const json::object& tool) {
  CHECK(tool.at("description") == "Counts up; clients with MCP Apps show the count in a view.");
  CHECK(tool.at("inputSchema").at("properties").as_object().contains("to"));
}

}  // namespace

TEST_CASE("apps: a legacy client without the extension sees no view, no link and no app-only tool",
          "[apps]") {
  McpSession session(views_only());
  session.initialize();
  const auto tools = session.request_result("tools/list");
  INFO(json::serialize(tools));
  REQUIRE(tools.at("tools").as_array().size() == 1);
  const auto* count = tool_named(tools, "views_count");
  REQUIRE(count != nullptr);
  check_plain_count_tool(*count);
  CHECK_FALSE(count->contains("_meta"));
  CHECK(uris_of(session.request_result("resources/list")).empty());
  // The app-only tool does not exist for it, exactly like any unknown name.
  const auto refused = session.call_tool("views_count_step", {{"to", 1}});
  INFO(json::serialize(refused));
  CHECK(refused.at("error").at("code") == -32602);
  CHECK(refused.at("error").at("message") ==
        "Unknown tool: \"views_count_step\". Call tools/list to see the available tools.");
  // The linked tool answers in full: content for hosts that cannot show the view.
  const auto counted = session.call_tool_result("views_count", {{"to", 4}});
  CHECK(text_of(counted) == "{\"total\":4}");
}

TEST_CASE("apps: a legacy client with the extension sees the view, the links and the app-only tool",
          "[apps]") {
  McpSession session(views_only());
  session.initialize("2025-11-25", kApps);
  const auto tools = session.request_result("tools/list");
  INFO(json::serialize(tools));
  REQUIRE(tools.at("tools").as_array().size() == 2);
  const auto* count = tool_named(tools, "views_count");
  const auto* step = tool_named(tools, "views_count_step");
  REQUIRE(count != nullptr);
  REQUIRE(step != nullptr);
  check_plain_count_tool(*count);
  CHECK(count->at("_meta") == json::parse(R"({"ui": {"resourceUri": "ui://views/counter.html"}})"));
  CHECK(step->at("_meta") ==
        json::parse(R"({"ui": {"resourceUri": "ui://views/counter.html", "visibility": ["app"]}})"));

  const auto resources = session.request_result("resources/list");
  REQUIRE(uris_of(resources) == std::vector<std::string>{"ui://views/counter.html"});
  const auto& view = resources.at("resources").at(0).as_object();
  CHECK(view.at("mimeType") == "text/html;profile=mcp-app");
  CHECK(view.at("_meta").at("ui").at("prefersBorder") == true);

  // The HTML reads back whole, with the view's _meta.ui on its contents (hosts read the CSP there).
  const auto read = session.request_result("resources/read", {{"uri", "ui://views/counter.html"}});
  const auto& contents = read.at("contents").at(0).as_object();
  CHECK(contents.at("mimeType") == "text/html;profile=mcp-app");
  CHECK(contents.at("text") ==
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Counter</title></head>"
        "<body><output id=\"count\">0</output></body></html>");
  CHECK(contents.at("_meta") ==
        json::parse(R"({"ui": {"prefersBorder": true, "csp": {"resourceDomains": []}}})"));

  // The view calls its own tool through the host.
  CHECK(session.call_tool_result("views_count_step", {{"to", 1}}).at("structuredContent").at("total") == 2);
}

TEST_CASE("apps: modern requests see the views per request, and only a plain list is public", "[apps]") {
  McpSession session(views_only());
  const auto plain = result_of(session.request("tools/list", modern()));
  INFO(json::serialize(plain));
  REQUIRE(plain.at("tools").as_array().size() == 1);
  CHECK_FALSE(plain.at("tools").at(0).as_object().contains("_meta"));
  CHECK(plain.at("cacheScope") == "public");

  // The same process, the next request declaring the extension: a shared cache must not keep this list.
  const auto apps = result_of(session.request("tools/list", modern({}, kApps)));
  REQUIRE(apps.at("tools").as_array().size() == 2);
  CHECK(apps.at("cacheScope") == "private");
  const auto resources = result_of(session.request("resources/list", modern({}, kApps)));
  CHECK(uris_of(resources) == std::vector<std::string>{"ui://views/counter.html"});
  CHECK(uris_of(result_of(session.request("resources/list", modern()))).empty());

  const auto step = json::object{{"name", "views_count_step"}, {"arguments", {{"to", 5}}}};
  CHECK(result_of(session.request("tools/call", modern(step, kApps))).at("structuredContent").at("total") ==
        6);
  CHECK(error_of(session.request("tools/call", modern(step))).at("code") == -32602);
}

TEST_CASE("apps: an extension entry that names other MIME types only is not MCP Apps", "[apps]") {
  McpSession session(views_only());
  const json::object other{
      {"extensions", {{"io.modelcontextprotocol/ui", {{"mimeTypes", json::array{"text/x-other"}}}}}}};
  session.initialize("2025-11-25", other);
  CHECK(session.request_result("tools/list").at("tools").as_array().size() == 1);
}
