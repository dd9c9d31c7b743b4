// The one-shot subcommands: `mcpd call`, `mcpd plugin inspect`, --version.
#include <catch2/catch.hpp>

#include "mcp_session.hpp"

using namespace mcpd_test;
using namespace std::chrono_literals;

namespace {

constexpr milliseconds kCommandTimeout = 30s;

// `mcpd call` with the usual test plugins and the given tool and arguments.
ProcessOutcome mcpd_call(std::vector<std::string> tail) {
  std::vector<std::string> argv = {BuildPaths::mcpd(), "call"};
  const auto options = standard_serve_options();
  for (const auto& dir : options.plugin_dirs) argv.insert(argv.end(), {"--plugins-dir", dir});
  for (const auto& plugin : options.plugins) argv.insert(argv.end(), {"--plugin", plugin});
  argv.insert(argv.end(), tail.begin(), tail.end());
  return run_to_completion(argv, kCommandTimeout);
}

ProcessOutcome mcpd_inspect(const std::string& plugin) {
  return run_to_completion({BuildPaths::mcpd(), "plugin", "inspect", plugin}, kCommandTimeout);
}

std::string describe(const ProcessOutcome& outcome) {
  return "exit " + std::to_string(outcome.exit_code) + "\nstdout:\n" + outcome.stdout_text + "\nstderr:\n" +
         outcome.stderr_text;
}

}  // namespace

TEST_CASE("mcpd call prints the CallToolResult and exits 0 on success", "[cli]") {
  const auto outcome = mcpd_call({"hello.greet", R"({"name": "Ada"})"});
  INFO(describe(outcome));
  CHECK(outcome.exit_code == 0);
  const auto result = json::parse(outcome.stdout_text).as_object();
  CHECK_FALSE(is_error_result(result));
  CHECK_THAT(text_of(result), Catch::Contains("Ada"));

  const auto structured = mcpd_call({"testkit.echo", R"({"value": [1, 2]})"});
  INFO(describe(structured));
  CHECK(structured.exit_code == 0);
  CHECK(json::parse(structured.stdout_text).as_object().at("structuredContent") ==
        json::parse(R"({"value": [1, 2]})"));
}

TEST_CASE("mcpd call reads its arguments from a file (@FILE) or from stdin (-)", "[cli]") {
  // Larger than one command-line argument may be (128 KiB), as an image in base64 is.
  const std::string big(300 * 1024, 'x');
  const std::string arguments = json::serialize(json::object{{"value", big}});
  TempDir dir;
  const auto file = dir.write_file("arguments.json", arguments);
  const auto from_file = mcpd_call({"testkit.echo", "@" + file.string()});
  INFO(describe(from_file).substr(0, 2000));
  REQUIRE(from_file.exit_code == 0);
  CHECK(json::parse(from_file.stdout_text).as_object().at("structuredContent").at("value").as_string() ==
        big);

  std::vector<std::string> argv = {BuildPaths::mcpd(), "call"};
  for (const auto& dir_name : standard_serve_options().plugin_dirs)
    argv.insert(argv.end(), {"--plugins-dir", dir_name});
  for (const auto& plugin : standard_serve_options().plugins) argv.insert(argv.end(), {"--plugin", plugin});
  argv.insert(argv.end(), {"testkit.echo", "-"});
  ChildProcess child(argv);
  child.write(arguments);
  child.close_stdin();
  REQUIRE(child.wait_exit(kCommandTimeout) == 0);
  child.wait_for_output_end(5s);
  const auto line = child.read_line(5s);
  REQUIRE(line);
  CHECK(json::parse(*line).as_object().at("structuredContent").at("value").as_string() == big);

  const auto missing = mcpd_call({"testkit.echo", "@" + (dir.path() / "absent.json").string()});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.stderr_text, Catch::Contains("absent.json"));
  const auto broken =
      mcpd_call({"testkit.echo", "@" + dir.write_file("broken.json", "{\"value\": ").string()});
  CHECK(broken.exit_code == 2);
  CHECK_THAT(broken.stderr_text, Catch::Contains("not valid JSON"));
}

TEST_CASE("mcpd call exits 1 when the result has isError", "[cli]") {
  const auto failed = mcpd_call({"testkit.fail", "{}"});
  INFO(describe(failed));
  CHECK(failed.exit_code == 1);
  const auto result = json::parse(failed.stdout_text).as_object();
  CHECK(is_error_result(result));
  CHECK_THAT(text_of(result), Catch::Contains("failed on purpose"));

  // Validation failures are results with isError too.
  const auto invalid = mcpd_call({"testkit.strict", R"({"name": "ab"})"});
  INFO(describe(invalid));
  CHECK(invalid.exit_code == 1);
  CHECK(is_error_result(json::parse(invalid.stdout_text).as_object()));
}

TEST_CASE("mcpd call exits 2 on usage errors and unknown tools", "[cli]") {
  struct Case {
    const char* what;
    std::vector<std::string> tail;
    const char* stderr_mentions;
  };
  const auto bad = GENERATE(values<Case>({
      {"an unknown tool", {"nope.nothing", "{}"}, "nope.nothing"},
      {"arguments that are not JSON", {"hello.greet", "{name: Ada}"}, "JSON"},
      {"arguments that are not an object", {"hello.greet", "[1]"}, "object"},
      {"no tool at all", {}, "call"},
  }));
  const auto outcome = mcpd_call(bad.tail);
  INFO(bad.what << "\n" << describe(outcome));
  CHECK(outcome.exit_code == 2);
  CHECK_THAT(outcome.stderr_text, Catch::Contains(bad.stderr_mentions, Catch::CaseSensitive::No));
}

TEST_CASE("mcpd call exits 2 when a named plugin cannot be loaded", "[cli]") {
  const auto outcome = run_to_completion({BuildPaths::mcpd(), "call", "--plugin",
                                          BuildPaths::broken_plugin("wrong_abi_major"), "hello.greet", "{}"},
                                         kCommandTimeout);
  INFO(describe(outcome));
  CHECK(outcome.exit_code == 2);
  CHECK_THAT(outcome.stderr_text, Catch::Contains("wrong_abi_major.so"));
}

TEST_CASE("mcpd plugin inspect describes a valid plugin as JSON", "[cli]") {
  const auto outcome = mcpd_inspect(BuildPaths::hello_plugin());
  INFO(describe(outcome));
  REQUIRE(outcome.exit_code == 0);
  const auto report = json::parse(outcome.stdout_text).as_object();
  // Laid out for a person, as the docs show it: one member per line, two spaces per level.
  CHECK(outcome.stdout_text.starts_with("{\n  \"file\": \""));
  CHECK_THAT(outcome.stdout_text, Catch::Contains("\n  \"namespace\": \"hello\",\n"));
  CHECK(report.at("namespace") == "hello");
  CHECK(report.at("problems").as_array().empty());
  const auto& tools = report.at("tools").as_array();
  const auto names = names_of(tools);
  // Either the plugin's own names or the published ones.
  const auto listed = [&](const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end() ||
           std::find(names.begin(), names.end(), "hello_" + name) != names.end();
  };
  CHECK(listed("greet"));
  CHECK(listed("add"));
  CHECK(report.at("abi_version") == "1.4");  // what the SDK it was built with speaks
  CHECK(report.at("version") == "1.0.0");
  // The config schema is made from the plugin's settings struct, with its default.
  CHECK(report.at("config_schema").at("properties").at("greeting").at("default") == "Hello");
  for (const auto& tool : tools) {
    INFO(json::serialize(tool));
    CHECK(tool.as_object().at("inputSchema").is_object());
  }
}

TEST_CASE("mcpd plugin inspect refuses a plugin of another ABI major, naming both versions and the fix",
          "[cli]") {
  // A plugin newer than the host needs a newer mcpd; an older one needs rebuilding.
  const auto newer = mcpd_inspect(BuildPaths::broken_plugin("wrong_abi_major"));
  INFO(describe(newer));
  CHECK(newer.exit_code != 0);
  CHECK_THAT(newer.stderr_text, Catch::Contains("speaks ABI 2.0, newer than this host's 1.0 to") &&
                                    Catch::Contains("upgrade mcpd"));
  const auto older = mcpd_inspect(BuildPaths::broken_plugin("old_abi_major"));
  INFO(describe(older));
  CHECK(older.exit_code != 0);
  CHECK_THAT(older.stderr_text, Catch::Contains("speaks ABI 0.9, older than this host's 1.0 to") &&
                                    Catch::Contains("rebuild the plugin against this host's SDK"));
  CHECK_THAT(older.stderr_text, !Catch::Contains("upgrade mcpd"));
}

TEST_CASE("mcpd plugin inspect reports other unloadable plugins", "[cli]") {
  struct Case {
    std::string file;
    const char* mentions;
  };
  const auto bad = GENERATE(values<Case>({
      {BuildPaths::broken_plugin("missing_symbol"), "mcpd_plugin_negotiate"},
      {BuildPaths::broken_plugin("init_fails"), "the 'endpoint' setting is required"},
      {BuildPaths::test_plugins_dir() + "/does_not_exist.so", "does_not_exist.so"},
  }));
  const auto outcome = mcpd_inspect(bad.file);
  INFO(describe(outcome));
  CHECK(outcome.exit_code != 0);
  CHECK_THAT(outcome.stderr_text, Catch::Contains(bad.mentions));
}

TEST_CASE("mcpd --version prints the project version", "[cli]") {
  const auto outcome = run_to_completion({BuildPaths::mcpd(), "--version"}, kCommandTimeout);
  INFO(describe(outcome));
  CHECK(outcome.exit_code == 0);
  CHECK_THAT(outcome.stdout_text, Catch::Contains(BuildPaths::project_version()));
}
