// A plugins directory full of broken plugins next to a good one: the host
// starts, says clearly on stderr what is wrong with each file, refuses what
// must be refused, and keeps serving.
#include <catch2/catch.hpp>
#include <sstream>

#include "corrupt_elf.hpp"
#include "mcp_session.hpp"
#include "mcpd_process.hpp"

using namespace mcpd_test;

namespace {

ServeOptions broken_dir_options() {
  ServeOptions options;
  // hello first, so the duplicate "hello" namespace is the one refused.
  options.plugins = {BuildPaths::hello_plugin()};
  options.plugin_dirs = {BuildPaths::broken_plugins_dir()};
  return options;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// True for an operator log line (`ts=... level=<level> msg=...`) of that level.
bool has_level(std::string_view line, std::string_view level) {
  const std::string field = "level=" + std::string(level) + " ";
  return line.starts_with(field) || line.find(" " + field) != std::string_view::npos;
}

// Stderr lines mentioning `needle` (a file or namespace name), leaving out
// debug/info lines (progress reports such as "loading x.so" are not problems).
std::vector<std::string> lines_mentioning(const std::string& text, std::string_view needle) {
  std::vector<std::string> found;
  for (const auto& line : lines_of(text)) {
    if (has_level(line, "debug") || has_level(line, "info")) continue;
    if (line.find(needle) != std::string::npos) found.push_back(line);
  }
  return found;
}

bool any_line_has_all(const std::vector<std::string>& lines, const std::vector<std::string>& parts) {
  for (const auto& line : lines) {
    bool all = true;
    for (const auto& part : parts) all = all && line.find(part) != std::string::npos;
    if (all) return true;
  }
  return false;
}

std::vector<std::string> published_tools(McpSession& session) {
  return names_of(session.request_result("tools/list").at("tools").as_array());
}

}  // namespace

TEST_CASE("broken plugins are refused with one clear line each, and the host keeps serving", "[broken]") {
  McpSession session(broken_dir_options());
  session.initialize();
  const auto tools = published_tools(session);
  const auto stderr_text = session.process().stderr_text();
  INFO("stderr:\n" << stderr_text);

  struct Refusal {
    const char* file;
    std::vector<std::string> reason;  // all on the one line that names the file
  };
  const std::vector<Refusal> refusals = {
      {"wrong_abi_major.so", {"2.0", "1.0", "upgrade mcpd"}},
      {"old_abi_major.so", {"0.9", "1.0", "rebuild the plugin"}},
      {"missing_symbol.so", {"mcpd_plugin_negotiate"}},
      {"init_fails.so", {"the 'endpoint' setting is required"}},
      {"init_throws.so", {"init_throws: deliberate exception from on_init"}},
      {"duplicate_namespace.so", {"hello"}},
  };
  for (const auto& refusal : refusals) {
    INFO("plugin " << refusal.file);
    const auto lines = lines_mentioning(stderr_text, refusal.file);
    CHECK(lines.size() == 1);
    CHECK(any_line_has_all(lines, refusal.reason));
  }

  // The good plugin is never the one refused (the duplicate namespace loses, not hello.so); the
  // duplicate's refusal may name hello.so as the plugin that already owns the namespace.
  for (const auto& line : lines_mentioning(stderr_text, "plugin refused")) {
    INFO(line);
    CHECK(line.find("/hello.so reason=") == std::string::npos);
  }

  // Nothing of a refused plugin is published; the good one works.
  for (const auto& name : tools) {
    INFO(name);
    CHECK_FALSE(name.starts_with("init_fails"));
    CHECK_FALSE(name.starts_with("init_throws"));
    CHECK(name != "hello.impostor");
  }
  const auto greeting = session.call_tool_result("hello.greet", {{"name", "Ada"}});
  INFO(json::serialize(greeting));
  CHECK_FALSE(is_error_result(greeting));
  CHECK_THAT(text_of(greeting), Catch::Contains("Ada"));
}

TEST_CASE("tools with invalid names or definitions are refused at load", "[broken]") {
  McpSession session(broken_dir_options());
  session.initialize();
  const auto tools = published_tools(session);
  const auto stderr_text = session.process().stderr_text();
  INFO("stderr:\n" << stderr_text);

  for (const auto* refused : {"bad_tool_name.bad name", "bad_tool_name.bad/name", "bad_tool_name.",
                              "invalid_json_definition.broken_json", "invalid_json_definition.no_schema"}) {
    INFO(refused);
    CHECK(std::find(tools.begin(), tools.end(), refused) == tools.end());
  }
  for (const auto& name : tools) CHECK(name.find(std::string(65, 'x')) == std::string::npos);
  for (const auto& name : tools) CHECK_FALSE(name.starts_with("external_ref_schema"));

  // Each refusal is logged with the plugin and the offending tool.
  const auto bad_name_lines = lines_mentioning(stderr_text, "bad_tool_name");
  CHECK(any_line_has_all(bad_name_lines, {"bad name"}));
  CHECK(any_line_has_all(bad_name_lines, {"bad/name"}));
  CHECK(any_line_has_all(bad_name_lines, {std::string(65, 'x')}));
  const auto definition_lines = lines_mentioning(stderr_text, "invalid_json_definition");
  CHECK(any_line_has_all(definition_lines, {"broken_json"}));
  CHECK(any_line_has_all(definition_lines, {"no_schema", "inputSchema"}));
  // A $ref to a document outside the schema: mcpd never fetches one, so the plugin is refused, and the one
  // line says which tool, which reference and why. The self-contained tool beside it is not blamed.
  const auto reference_lines = lines_mentioning(stderr_text, "external_ref_schema");
  CHECK(reference_lines.size() == 1);
  CHECK(any_line_has_all(
      reference_lines,
      {"plugin refused", "tool \\\"lookup\\\": inputSchema", "#/properties/customer/$ref",
       "https://schemas.example.com/customer.json", "never fetches schemas over the network"}));
  CHECK_FALSE(any_line_has_all(reference_lines, {"tool \\\"local\\\""}));
  session.expect_ping_answered();
}

TEST_CASE("a handler that throws through the SDK gives isError and the next call works", "[broken]") {
  McpSession session(broken_dir_options());
  session.initialize();
  const auto thrown = session.call_tool_result("tool_throws.boom");
  INFO(json::serialize(thrown));
  CHECK(is_error_result(thrown));
  CHECK_THAT(text_of(thrown), Catch::Contains("tool_throws: deliberate exception from a handler"));

  const auto next = session.call_tool_result("tool_throws.ok");
  CHECK_FALSE(is_error_result(next));
  CHECK(text_of(next) == "ok");
}

TEST_CASE("an exception escaping a raw on_call gives an error and the next call works", "[broken]") {
  McpSession session(broken_dir_options());
  session.initialize();
  const auto response = session.call_tool("tool_throws_raw.boom");
  INFO(json::serialize(response) << "\n" << session.diagnostics());
  const bool rpc_error = response.contains("error");
  const bool tool_error = response.contains("result") && is_error_result(response.at("result").as_object());
  CHECK((rpc_error || tool_error));
  if (rpc_error) CHECK(error_code_of(response) == -32603);

  const auto next = session.call_tool_result("tool_throws_raw.ok");
  CHECK(text_of(next) == "ok");
  // The same tool fails the same way again: nothing was left half-done.
  const auto again = session.call_tool("tool_throws_raw.boom");
  CHECK((again.contains("error") || is_error_result(again.at("result").as_object())));
  session.expect_ping_answered();
}

TEST_CASE("results built from invalid JSON give an error and the next call works", "[broken]") {
  const std::string tool =
      GENERATE(as<std::string>{}, "invalid_json_result.bad_structured", "invalid_json_result.bad_content");
  McpSession session(broken_dir_options());
  session.initialize();
  const auto response = session.call_tool(tool);
  INFO(tool << ": " << json::serialize(response) << "\n" << session.diagnostics());
  const bool rpc_error = response.contains("error");
  const bool tool_error = response.contains("result") && is_error_result(response.at("result").as_object());
  CHECK((rpc_error || tool_error));

  const auto next = session.call_tool_result("invalid_json_result.ok");
  CHECK(text_of(next) == "ok");
}

// Files that are not plugins at all, as an attacker or a bad disk could leave
// them: none of them may stop the host or crash it.

TEST_CASE("a plugin file that crashes the dynamic loader is refused, serve starts and serves the others",
          "[broken][hostile]") {
  TempDir dir;
  const auto crashing = dir.path() / "crashing.so";
  write_crashing_plugin(BuildPaths::testkit_plugin(), crashing);
  // The file really is fatal to a plain dlopen(): without the probe, the host would die.
  REQUIRE(signal_of_plain_dlopen(crashing) == SIGSEGV);

  ServeOptions options;
  options.plugins = {BuildPaths::hello_plugin()};
  options.plugin_dirs = {dir.path().string()};
  McpSession session(options);
  session.initialize();
  const auto stderr_text = session.process().stderr_text();
  INFO("stderr:\n" << stderr_text);
  const auto lines = lines_mentioning(stderr_text, "crashing.so");
  CHECK(lines.size() == 1);
  CHECK(any_line_has_all(lines, {"plugin refused", "crashed with SIGSEGV while loading"}));
  CHECK_THAT(text_of(session.call_tool_result("hello.greet", {{"name", "Ada"}})), Catch::Contains("Ada"));
  session.expect_ping_answered();
}

TEST_CASE("plugin inspect of a file that crashes the dynamic loader says so and exits 1",
          "[broken][hostile]") {
  TempDir dir;
  const auto crashing = dir.path() / "crashing.so";
  write_crashing_plugin(BuildPaths::testkit_plugin(), crashing);
  const auto outcome =
      run_to_completion({BuildPaths::mcpd(), "plugin", "inspect", crashing.string()}, milliseconds(30000));
  INFO(outcome.stdout_text << outcome.stderr_text);
  CHECK(outcome.exit_code == 1);
  CHECK(outcome.stdout_text.empty());
  CHECK_THAT(outcome.stderr_text, Catch::Contains("mcpd plugin inspect: " + crashing.string() +
                                                  ": crashed with SIGSEGV while loading"));
}

TEST_CASE("a plugin whose initialiser exits the process is refused, serve starts and serves the others",
          "[broken][hostile]") {
  // The probe child exits 0 here, as a good file's would; only its missing verdict gives it away.
  ServeOptions options;
  options.plugins = {BuildPaths::hello_plugin(), BuildPaths::test_plugin("hostile/exits_while_loading")};
  McpSession session(options);
  session.initialize();
  const auto stderr_text = session.process().stderr_text();
  INFO("stderr:\n" << stderr_text);
  const auto lines = lines_mentioning(stderr_text, "exits_while_loading.so");
  CHECK(any_line_has_all(lines, {"plugin refused", "ended without a verdict (exit 0)"}));
  CHECK_THAT(text_of(session.call_tool_result("hello.greet", {{"name", "Ada"}})), Catch::Contains("Ada"));
  session.expect_ping_answered();
}

TEST_CASE("a symbolic link loop named *.so is skipped with a warning, serve starts", "[broken][hostile]") {
  TempDir dir;
  std::filesystem::create_symlink("loop.so", dir.path() / "loop.so");
  ServeOptions options;
  options.plugins = {BuildPaths::hello_plugin()};
  options.plugin_dirs = {dir.path().string()};
  McpSession session(options);
  session.initialize();
  const auto stderr_text = session.process().stderr_text();
  INFO("stderr:\n" << stderr_text);
  const auto lines = lines_mentioning(stderr_text, "loop.so");
  CHECK(lines.size() == 1);
  CHECK(any_line_has_all(lines, {"level=warning", "plugin file skipped", "symbolic link"}));
  CHECK_THAT(text_of(session.call_tool_result("hello.greet", {{"name", "Ada"}})), Catch::Contains("Ada"));
}
