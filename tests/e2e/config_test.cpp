// Configuration that changes protocol behaviour: environment overrides,
// warnings for unknown keys, the operator log level, unusable config files.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "mcp_session.hpp"

using namespace mcpd_test;
using namespace std::chrono_literals;

TEST_CASE("environment variables override the separator and the page size", "[config]") {
  ServeOptions options = standard_serve_options();
  options.environment = {"MCPD_TOOL_NAME_SEPARATOR=_", "MCPD_PAGE_SIZE=3"};
  McpSession session(options);
  session.initialize();
  const auto first = session.request_result("tools/list");
  INFO(json::serialize(first));
  const auto names = names_of(first.at("tools").as_array());
  CHECK(names.size() == 3);
  CHECK(first.contains("nextCursor"));
  for (const auto& name : names) CHECK(name.find('.') == std::string::npos);
  const auto result = session.call_tool_result("hello_greet", {{"name", "Env"}});
  CHECK(text_of(result) == "Hello, Env!");
}

TEST_CASE("unknown config keys are reported on stderr and the server still runs", "[config]") {
  ServeOptions options = standard_serve_options();
  options.config = json::object{{"server", {{"page_size", 50}, {"paeg_size_typo", 3}}}, {"surprise", true}};
  McpSession session(options);
  session.initialize();
  session.expect_ping_answered();
  INFO(session.diagnostics());
  CHECK(session.process().wait_for_stderr("paeg_size_typo", 5s));
  CHECK(session.process().wait_for_stderr("surprise", 5s));
}

TEST_CASE("a plugin's settings reach it typed, and a wrong one is named in its tools' answers", "[config]") {
  {
    ServeOptions options = standard_serve_options();
    options.config = json::object{{"plugin_config", {{"hello", {{"greeting", "Howdy"}}}}}};
    McpSession session(options);
    session.initialize();
    CHECK(text_of(session.call_tool_result("hello_greet", {{"name", "Ada"}})) == "Howdy, Ada!");
  }
  // The host checks the section against the schema the plugin's settings struct publishes, logs what is
  // wrong, and tells the plugin (ABI 1.4): the plugin loads and its tool says what to fix.
  ServeOptions options = standard_serve_options();
  options.config = json::object{{"plugin_config", {{"hello", {{"greeting", 5}}}}}};
  McpSession session(options);
  session.initialize();
  const auto answer = session.call_tool("hello_greet", {{"name", "Ada"}});
  INFO(json::serialize(answer) << session.diagnostics());
  const auto& result = answer.at("result").as_object();
  CHECK(result.at("isError") == true);
  CHECK_THAT(text_of(result), Catch::Contains("plugin_config.hello.greeting: expected string, got 5") &&
                                  Catch::Contains("reload the plugin"));
  CHECK(session.process().wait_for_stderr("plugin_config.hello.greeting: expected string, got 5", 5s));
  // Tools that do not need the setting keep working.
  CHECK(session.call_tool_result("hello_add", {{"a", 1}, {"b", 2}}).at("structuredContent").at("sum") == 3);
}

TEST_CASE("serve --log-level error keeps info lines off stderr", "[config]") {
  ServeOptions options = standard_serve_options();
  options.extra_args = {"--log-level", "error"};
  McpSession session(options);
  session.initialize();
  session.call_tool_result("hello.greet", {{"name", "quiet"}});
  session.process().close_stdin();
  REQUIRE(session.process().wait_exit(10s) == 0);
  session.process().wait_for_output_end(5s);
  const auto stderr_text = session.process().stderr_text();
  INFO(stderr_text);
  CHECK(stderr_text.find("level=info") == std::string::npos);
  CHECK(stderr_text.find("level=debug") == std::string::npos);
}

TEST_CASE("an unusable config file stops mcpd with a message naming it", "[config]") {
  TempDir dir;
  const auto broken = dir.write_file("broken.json", R"({"server": {"page_size": )");
  const auto wrong_type = dir.write_file("wrong_type.json", R"({"server": {"page_size": "many"}})");
  const auto missing = dir.path() / "missing.json";
  for (const auto& file : {broken, wrong_type, missing}) {
    const auto outcome =
        run_to_completion({BuildPaths::mcpd(), "serve", "--stdio", "--config", file.string()}, 30s);
    INFO(file << "\nexit " << outcome.exit_code << "\nstdout:\n"
              << outcome.stdout_text << "\nstderr:\n"
              << outcome.stderr_text);
    CHECK(outcome.exit_code != 0);
    CHECK(outcome.stdout_text.empty());
    CHECK_THAT(outcome.stderr_text, Catch::Contains(file.filename().string()));
  }
}

TEST_CASE("an empty MCPD_PLUGINS_DIR counts as unset: the default plugins directory is used", "[config]") {
  ServeOptions options;  // no --plugins-dir: the default directory next to the binary
  options.environment = {"MCPD_PLUGINS_DIR="};
  McpSession session(options);
  session.initialize();
  const auto names = names_of(session.request_result("tools/list").at("tools").as_array());
  INFO(session.diagnostics());
  CHECK(std::find(names.begin(), names.end(), "tracking_capture") != names.end());
  CHECK(std::find(names.begin(), names.end(), "gemini_ask_about_images") != names.end());
}

TEST_CASE("hidden *.so files in a plugins directory are not loaded", "[config]") {
  // `.x.so` is how a deployment in progress looks (write under a hidden name, then rename).
  TempDir dir;
  std::filesystem::copy_file(BuildPaths::hello_plugin(), dir.path() / ".hello.so");
  ServeOptions options;
  options.plugin_dirs = {dir.path().string()};
  McpSession session(options);
  session.initialize();
  const auto names = names_of(session.request_result("tools/list").at("tools").as_array());
  INFO(session.diagnostics());
  CHECK(names.empty());
  std::filesystem::rename(dir.path() / ".hello.so", dir.path() / "hello.so");
  McpSession renamed(options);
  renamed.initialize();
  const auto after = names_of(renamed.request_result("tools/list").at("tools").as_array());
  CHECK(std::find(after.begin(), after.end(), "hello_greet") != after.end());
}
