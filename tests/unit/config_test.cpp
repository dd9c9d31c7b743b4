// mcpd::config: defaults, the file, every environment override and its precedence, the exact wording of
// errors and warnings, and that secrets never appear in any of them.
#include "config/config.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace json = boost::json;
namespace fs = std::filesystem;
using mcpd::config::Config;
using mcpd::config::ConfigError;
using mcpd::config::Environment;

namespace {

constexpr const char* kSecret = "phx_TOPSECRET_value_42";

Environment environment(std::map<std::string, std::string> variables = {}) {
  return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
    const auto found = variables.find(std::string(name));
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

Config parse(std::string_view text, std::map<std::string, std::string> variables = {}) {
  return mcpd::config::parse(text, environment(std::move(variables)), "config.json");
}

// The ConfigError text, or "" when parsing succeeds.
std::string parse_error(std::string_view text, std::map<std::string, std::string> variables = {}) {
  try {
    parse(text, std::move(variables));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// A directory of its own per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("mcpd-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& name, const std::string& content) const {
    const fs::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }

 private:
  fs::path path_;
};

const json::value& at(const json::object& object, std::initializer_list<std::string_view> keys) {
  const json::value* current = nullptr;
  const json::object* parent = &object;
  for (const auto key : keys) {
    current = &parent->at(key);
    if (current->is_object()) parent = &current->get_object();
  }
  return *current;
}

// The schema a tracking-like plugin would declare.
const json::value& tracking_schema() {
  static const json::value schema = json::parse(R"({
    "type": "object",
    "properties": {
      "instances": {"type": "object", "additionalProperties": {"$ref": "#/$defs/instance"}},
      "redact_rules": {"type": "array", "items": {"type": "object",
        "properties": {"selector": {"type": "string"}, "token": {"type": "string", "writeOnly": true}}}},
      "local_video_dirs": {"type": "array", "items": {"type": "string"}},
      "max_frames": {"type": "integer", "minimum": 1, "maximum": 500}
    },
    "$defs": {"instance": {"type": "object", "required": ["api_host"], "properties": {
      "api_host": {"type": "string", "format": "uri"},
      "project_api_key": {"type": "string", "writeOnly": true},
      "personal_api_key": {"type": "string", "pattern": "^phx_[A-Za-z0-9]+$", "writeOnly": true}}}}
  })");
  return schema;
}

}  // namespace

TEST_CASE("no file and no environment: the documented defaults") {
  const Config config = mcpd::config::load(std::nullopt, environment());
  CHECK(config.server.name == "mcpd");
  CHECK(config.server.instructions.empty());
  CHECK(config.server.log_level == "info");
  CHECK(config.server.worker_threads == 4);
  CHECK(config.server.max_message_bytes == 16u * 1024 * 1024);
  CHECK(config.server.tool_name_separator == "_");
  CHECK(config.server.page_size == 100);
  CHECK(config.server.client_request_timeout_ms == 60000);
  CHECK(config.server.shutdown_timeout_ms == 10000);
  CHECK(config.server.call_timeout_ms == 600000);
  CHECK(config.server.max_abandoned_workers == 8);
  CHECK(config.plugins.directories.empty());
  CHECK(config.plugins.files.empty());
  CHECK(config.plugin_config.empty());
  CHECK(config.warnings.empty());
  CHECK(config.raw.empty());
}

TEST_CASE("file values override defaults, keys left out keep them") {
  const Config config = parse(R"({
    "server": {"name": "studio", "instructions": "Use tracking.* tools", "log_level": "notice", "worker_threads": 8,
               "max_message_bytes": 1048576, "tool_name_separator": ".", "page_size": 50,
               "client_request_timeout_ms": 1000, "shutdown_timeout_ms": 0},
    "plugins": {"directories": ["/opt/mcpd/plugins"], "files": ["/tmp/a.so", "rel/b.so"]},
    "plugin_config": {"tracking": {"max_frames": 20}, "gemini": {"model": "gemini-2.5-flash"}}
  })");
  CHECK(config.server.name == "studio");
  CHECK(config.server.instructions == "Use tracking.* tools");
  CHECK(config.server.log_level == "notice");
  CHECK(config.server.worker_threads == 8);
  CHECK(config.server.max_message_bytes == 1048576);
  CHECK(config.server.tool_name_separator == ".");
  CHECK(config.server.page_size == 50);
  CHECK(config.server.client_request_timeout_ms == 1000);
  CHECK(config.server.shutdown_timeout_ms == 0);
  CHECK(config.plugins.directories == std::vector<fs::path>{"/opt/mcpd/plugins"});
  CHECK(config.plugins.files == std::vector<fs::path>{"/tmp/a.so", "rel/b.so"});  // parse(): kept as written
  CHECK(at(config.plugin_config, {"tracking", "max_frames"}) == 20);
  CHECK(at(config.plugin_config, {"gemini", "model"}) == "gemini-2.5-flash");
  CHECK(parse(R"({"server": {"page_size": 7}})").server.worker_threads == 4);
  CHECK(parse(R"({"server": {"worker_threads": 2.0}})").server.worker_threads == 2);
}

TEST_CASE("raw is the document as written with the environment applied, later sections included") {
  const Config config =
      parse(R"({"http": {"listen": "127.0.0.1:8080"}, "server": {"page_size": 5, "name": "n"}})",
            {{"MCPD_PAGE_SIZE", "9"}, {"MCPD_LOG_LEVEL", "debug"}});
  CHECK(config.warnings.empty());  // "http" is a known section
  CHECK(at(config.raw, {"http", "listen"}) == "127.0.0.1:8080");
  CHECK(at(config.raw, {"server", "page_size"}) == 9);
  CHECK(at(config.raw, {"server", "log_level"}) == "debug");
  CHECK(at(config.raw, {"server", "name"}) == "n");
  // Settings left at their defaults are not invented in raw (callers can tell "configured" from "default").
  CHECK_FALSE(config.raw.at("server").as_object().contains("worker_threads"));
}

TEST_CASE("load reads a file and anchors its relative plugin paths at the file's directory") {
  TempDir dir;
  const fs::path file = dir.write("mcpd.json", R"({"server": {"worker_threads": 3},
      "plugins": {"directories": ["plugins", "/abs/dir"], "files": ["extra/x.so"]}})");
  const Config config = mcpd::config::load(file, environment());
  CHECK(config.server.worker_threads == 3);
  CHECK(config.plugins.directories == std::vector<fs::path>{dir.path() / "plugins", "/abs/dir"});
  CHECK(config.plugins.files == std::vector<fs::path>{dir.path() / "extra/x.so"});
}

TEST_CASE("a config file may explain itself with // and /* */ comments") {
  TempDir dir;
  const fs::path file = dir.write("commented.json",
                                  "// mcpd for the analytics team\n"
                                  "{\n"
                                  "  /* more threads: video decoding is slow */\n"
                                  "  \"server\": { \"worker_threads\": 3 } // the rest stays default\n"
                                  "}\n");
  CHECK(mcpd::config::load(file, environment()).server.worker_threads == 3);
  // A comment left open is still a clear error, not a silently shorter file.
  const fs::path open_comment = dir.write("open.json", "{ \"server\": {} /* unfinished\n");
  CHECK_THROWS_WITH(mcpd::config::load(open_comment, environment()),
                    Catch::StartsWith(open_comment.string() + ": invalid JSON at line"));
}

TEST_CASE("a missing, unreadable or non-JSON file is a ConfigError naming the file") {
  TempDir dir;
  const fs::path missing = dir.path() / "nope.json";
  CHECK_THROWS_WITH(mcpd::config::load(missing, environment()),
                    "config file \"" + missing.string() + "\" not found");
  CHECK_THROWS_WITH(mcpd::config::load(dir.path(), environment()),
                    "config file \"" + dir.path().string() + "\" is a directory, not a file");

  const fs::path broken = dir.write("broken.json", "{\n  \"server\": {\n    \"name\": tru\n  }\n}\n");
  CHECK_THROWS_WITH(mcpd::config::load(broken, environment()),
                    Catch::StartsWith(broken.string() + ": invalid JSON at line 3, column 13"));
  const fs::path truncated = dir.write("truncated.json", "{\"server\": {");
  CHECK_THROWS_WITH(mcpd::config::load(truncated, environment()),
                    Catch::StartsWith(truncated.string() +
                                      ": invalid JSON at line 1, column 13 (the document ends too early"));
  const fs::path empty = dir.write("empty.json", "");
  CHECK_THROWS_WITH(mcpd::config::load(empty, environment()), Catch::Contains("the text is empty"));

  if (::geteuid() != 0) {  // root reads anything
    const fs::path locked = dir.write("locked.json", "{}");
    fs::permissions(locked, fs::perms::none);
    CHECK_THROWS_WITH(mcpd::config::load(locked, environment()),
                      Catch::StartsWith("cannot read config file \"" + locked.string() + "\""));
  }
}

TEST_CASE("the document must be an object and known sections must be objects") {
  CHECK(parse_error("[1]") ==
        "config.json: the configuration must be a JSON object ({...}), got an array (value hidden)");
  CHECK(parse_error(R"({"server": 5})") == "config.json: server must be an object, got 5");
  CHECK(parse_error(R"({"plugins": []})") == "config.json: plugins must be an object, got an array");
  CHECK(parse_error(R"({"plugin_config": {"gemini": "x"}})") ==
        "config.json: plugin_config.gemini must be an object (the plugin's settings), got a string (value "
        "hidden)");
}

TEST_CASE("wrong types for known keys name the key, the expectation and the value") {
  CHECK(parse_error(R"({"server": {"worker_threads": "four"}})") ==
        R"(config.json: server.worker_threads must be a positive integer, got "four")");
  CHECK(parse_error(R"({"server": {"worker_threads": 2.5}})") ==
        "config.json: server.worker_threads must be a positive integer, got 2.5");
  CHECK(parse_error(R"({"server": {"shutdown_timeout_ms": true}})") ==
        "config.json: server.shutdown_timeout_ms must be a non-negative integer, got true");
  CHECK(parse_error(R"({"server": {"name": ""}})") ==
        R"(config.json: server.name must be a non-empty string, got "")");
  CHECK(parse_error(R"({"server": {"instructions": ["a"]}})") ==
        "config.json: server.instructions must be a string, got an array");
  CHECK(parse_error(R"({"plugins": {"directories": "/opt"}})") ==
        R"(config.json: plugins.directories must be an array of paths, got "/opt")");
  CHECK(parse_error(R"({"plugins": {"files": ["a.so", 3]}})") ==
        "config.json: plugins.files[1] must be a non-empty path string, got 3");
}

TEST_CASE("out-of-range values name the range") {
  CHECK(parse_error(R"({"server": {"worker_threads": 0}})") ==
        "config.json: server.worker_threads must be between 1 and 256, got 0");
  CHECK(parse_error(R"({"server": {"worker_threads": 257}})") ==
        "config.json: server.worker_threads must be between 1 and 256, got 257");
  CHECK(parse_error(R"({"server": {"worker_threads": -2}})") ==
        "config.json: server.worker_threads must be between 1 and 256, got -2");
  CHECK(parse_error(R"({"server": {"page_size": 1001}})") ==
        "config.json: server.page_size must be between 1 and 1000, got 1001");
  CHECK(
      parse_error(R"({"server": {"max_message_bytes": 1023}})") ==
      "config.json: server.max_message_bytes must be between 1024 and 1073741824 (1 KiB to 1 GiB), got 1023");
  CHECK(parse_error(R"({"server": {"max_message_bytes": 1073741825}})") ==
        "config.json: server.max_message_bytes must be between 1024 and 1073741824 (1 KiB to 1 GiB), got "
        "1073741825");
  CHECK(parse(R"({"server": {"max_message_bytes": 1024}})").server.max_message_bytes == 1024);
  CHECK(parse(R"({"server": {"max_message_bytes": 1073741824}})").server.max_message_bytes == 1073741824u);
  CHECK(parse_error(R"({"server": {"client_request_timeout_ms": 0}})") ==
        "config.json: server.client_request_timeout_ms must be between 1 and 86400000 (24 hours), got 0");
  CHECK(parse_error(R"({"server": {"tool_name_separator": "::"}})") ==
        R"(config.json: server.tool_name_separator must be one of ".", "_", "-", "__", got "::")");
  for (const char* separator : {".", "_", "-", "__"}) {
    CHECK(parse(std::string(R"({"server": {"tool_name_separator": ")") + separator + "\"}}")
              .server.tool_name_separator == separator);
  }
  CHECK(
      parse_error(R"({"server": {"log_level": "warnign"}})") ==
      R"(config.json: server.log_level must be one of "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency", got "warnign" (did you mean "warning"?))");
  CHECK(
      parse_error(R"({"server": {"log_level": "trace"}})") ==
      R"(config.json: server.log_level must be one of "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency", got "trace")");
}

TEST_CASE("unknown keys are warnings that suggest the closest known key") {
  const Config config = parse(R"({
    "sever": {}, "zzzzzzzz": 1,
    "server": {"worker_thread": 2, "logLevel": "debug", "colour": "blue"},
    "plugins": {"directory": ["/x"]}
  })");
  REQUIRE(config.warnings.size() == 6);
  CHECK(config.warnings[0] == R"(config.json: unknown key "sever" is ignored; did you mean "server"?)");
  CHECK(config.warnings[1] == R"(config.json: unknown key "zzzzzzzz" is ignored.)");
  CHECK(
      config.warnings[2] ==
      R"(config.json: unknown key "server.worker_thread" is ignored; did you mean "server.worker_threads"?)");
  CHECK(config.warnings[3] ==
        R"(config.json: unknown key "server.logLevel" is ignored; did you mean "server.log_level"?)");
  CHECK(config.warnings[4] == R"(config.json: unknown key "server.colour" is ignored.)");
  CHECK(config.warnings[5] ==
        R"(config.json: unknown key "plugins.directory" is ignored; did you mean "plugins.directories"?)");
  CHECK(config.server.worker_threads == 4);  // the misspelt key really is ignored
  CHECK(parse(R"({"$schema": "./mcpd.schema.json"})").warnings.empty());
}

TEST_CASE("server environment overrides beat the file") {
  const Config config =
      parse(R"({"server": {"log_level": "error", "worker_threads": 2, "tool_name_separator": "-",
                                             "page_size": 10, "max_message_bytes": 2048, "name": "kept"},
                                  "plugins": {"directories": ["/from/file"], "files": ["/f.so"]}})",
            {{"MCPD_LOG_LEVEL", "debug"},
             {"MCPD_WORKER_THREADS", "16"},
             {"MCPD_TOOL_NAME_SEPARATOR", "__"},
             {"MCPD_PAGE_SIZE", "250"},
             {"MCPD_MAX_MESSAGE_BYTES", "4096"},
             {"MCPD_PLUGINS_DIR", "/a::/b/c:"}});
  CHECK(config.server.log_level == "debug");
  CHECK(config.server.worker_threads == 16);
  CHECK(config.server.tool_name_separator == "__");
  CHECK(config.server.page_size == 250);
  CHECK(config.server.max_message_bytes == 4096);
  CHECK(config.server.name == "kept");
  CHECK(config.plugins.directories == std::vector<fs::path>{"/a", "/b/c"});  // replaced, empties dropped
  CHECK(config.plugins.files == std::vector<fs::path>{"/f.so"});
}

TEST_CASE("the call deadline and the abandoned-worker limit: file, environment, ranges") {
  const Config from_file = parse(R"({"server": {"call_timeout_ms": 0, "max_abandoned_workers": 2}})");
  CHECK(from_file.server.call_timeout_ms == 0);  // no deadline
  CHECK(from_file.server.max_abandoned_workers == 2);
  const Config from_env = parse(R"({"server": {"call_timeout_ms": 5}})",
                                {{"MCPD_CALL_TIMEOUT_MS", "1500"}, {"MCPD_MAX_ABANDONED_WORKERS", "0"}});
  CHECK(from_env.server.call_timeout_ms == 1500);
  CHECK(from_env.server.max_abandoned_workers == 0);
  CHECK(
      parse_error(R"({"server": {"call_timeout_ms": 86400001}})") ==
      "config.json: server.call_timeout_ms must be between 0 and 86400000 (24 hours; 0 means no limit), got "
      "86400001");
  CHECK(parse_error("{}", {{"MCPD_MAX_ABANDONED_WORKERS", "257"}}) ==
        "environment variable MCPD_MAX_ABANDONED_WORKERS must be between 0 and 256, got 257");
}

TEST_CASE("format assertion: off by default, on from the file or MCPD_FORMAT_ASSERTION") {
  CHECK_FALSE(parse("{}").server.format_assertion);
  CHECK(parse(R"({"server": {"format_assertion": true}})").server.format_assertion);
  CHECK(parse("{}", {{"MCPD_FORMAT_ASSERTION", "yes"}}).server.format_assertion);
  CHECK_FALSE(parse(R"({"server": {"format_assertion": true}})", {{"MCPD_FORMAT_ASSERTION", "0"}})
                  .server.format_assertion);
  CHECK(parse_error(R"({"server": {"format_assertion": "assert"}})") ==
        R"(config.json: server.format_assertion must be true or false, got "assert")");
  // Plugin config sections follow the same setting.
  const json::value schema =
      json::parse(R"({"type":"object","properties":{"api_host":{"type":"string","format":"uri"}}})");
  const json::object section = json::parse(R"({"api_host": "not a url"})").as_object();
  CHECK(mcpd::config::check_plugin_section("p", section, schema).errors.empty());
  const auto asserted =
      mcpd::config::check_plugin_section("p", section, schema, mcpd::schema::FormatMode::kAssertion);
  REQUIRE(asserted.errors.size() == 1);
  CHECK(
      asserted.errors[0] ==
      R"(plugin_config.p.api_host: expected string in uri format (an absolute URI, e.g. https://example.com/path), got "not a url")");
}

TEST_CASE("log levels are accepted in any case, and \"warn\" means \"warning\"") {
  CHECK(parse("{}", {{"MCPD_LOG_LEVEL", "DEBUG"}}).server.log_level == "debug");
  CHECK(parse(R"({"server": {"log_level": "Warn"}})").server.log_level == "warning");
  for (const auto level : mcpd::config::kLogLevels) {
    CHECK(parse(R"({"server": {"log_level": ")" + std::string(level) + "\"}}").server.log_level == level);
  }
}

TEST_CASE("MCPD_PLUGINS_DIR paths are used as given, not anchored at the config file") {
  TempDir dir;
  const fs::path file = dir.write("c.json", "{}");
  const Config config = mcpd::config::load(file, environment({{"MCPD_PLUGINS_DIR", "rel/plugins"}}));
  CHECK(config.plugins.directories == std::vector<fs::path>{"rel/plugins"});
}

TEST_CASE("plugin environment overrides land in their sections and merge with the file") {
  const Config config = parse(R"({"plugin_config": {
      "tracking": {"instances": {"default": {"api_host": "https://file.example", "extra": 1}, "eu": {"api_host": "x"}},
                   "redact_rules": [{"selector": "from-file"}], "max_frames": 9},
      "gemini": {"model": "m", "api_key": "file-key"}}})",
                              {{"POSTHOG_API_HOST", "https://us.posthog.com"},
                               {"POSTHOG_PROJECT_KEY", "phc_project"},
                               {"POSTHOG_PERSONAL_API_KEY", kSecret},
                               {"TRACKING_REDACT_RULES_JSON", R"([{"selector": "input[type=password]"}])"},
                               {"TRACKING_LOCAL_VIDEO_DIRS", "/videos:/mnt/rec::"},
                               {"GEMINI_API_KEY", "env-gemini-key"},
                               {"GEMINI_API_BASE_URL", "http://127.0.0.1:9999"}});
  const auto& tracking = config.plugin_config.at("tracking").get_object();
  CHECK(at(tracking, {"instances", "default", "api_host"}) == "https://us.posthog.com");
  CHECK(at(tracking, {"instances", "default", "project_api_key"}) == "phc_project");
  CHECK(at(tracking, {"instances", "default", "personal_api_key"}) == kSecret);
  CHECK(at(tracking, {"instances", "default", "extra"}) == 1);
  CHECK(at(tracking, {"instances", "eu", "api_host"}) == "x");
  CHECK(at(tracking, {"redact_rules"}) == json::parse(R"([{"selector": "input[type=password]"}])"));
  CHECK(at(tracking, {"local_video_dirs"}) == json::parse(R"(["/videos", "/mnt/rec"])"));
  CHECK(at(tracking, {"max_frames"}) == 9);
  const auto& gemini = config.plugin_config.at("gemini").get_object();
  CHECK(at(gemini, {"api_key"}) == "env-gemini-key");
  CHECK(at(gemini, {"api_base_url"}) == "http://127.0.0.1:9999");
  CHECK(at(gemini, {"model"}) == "m");
  CHECK(at(config.raw, {"plugin_config", "gemini", "api_key"}) == "env-gemini-key");
}

TEST_CASE("plugin environment overrides create their sections when the file has none") {
  const Config config = mcpd::config::load(
      std::nullopt, environment({{"POSTHOG_API_HOST", "https://eu.posthog.com"}, {"GEMINI_API_KEY", "k"}}));
  CHECK(at(config.plugin_config, {"tracking", "instances", "default", "api_host"}) ==
        "https://eu.posthog.com");
  CHECK(at(config.plugin_config, {"gemini", "api_key"}) == "k");
}

TEST_CASE("empty environment variables count as unset") {
  const Config config =
      parse(R"({"server": {"worker_threads": 6}})",
            {{"MCPD_WORKER_THREADS", ""}, {"GEMINI_API_KEY", ""}, {"MCPD_PLUGINS_DIR", ""}});
  CHECK(config.server.worker_threads == 6);
  CHECK(config.plugin_config.empty());
}

TEST_CASE("malformed environment values name the variable") {
  CHECK(parse_error("{}", {{"MCPD_WORKER_THREADS", "abc"}}) ==
        R"(environment variable MCPD_WORKER_THREADS must be a positive integer, got "abc")");
  CHECK(parse_error("{}", {{"MCPD_WORKER_THREADS", "-4"}}) ==
        R"(environment variable MCPD_WORKER_THREADS must be a positive integer, got "-4")");
  CHECK(parse_error("{}", {{"MCPD_WORKER_THREADS", "0"}}) ==
        "environment variable MCPD_WORKER_THREADS must be between 1 and 256, got 0");
  CHECK(parse_error("{}", {{"MCPD_PAGE_SIZE", "99999999999999999999999"}}) ==
        R"(environment variable MCPD_PAGE_SIZE is too large, got "99999999999999999999999")");
  CHECK(parse_error("{}", {{"MCPD_MAX_MESSAGE_BYTES", "12"}}) ==
        "environment variable MCPD_MAX_MESSAGE_BYTES must be between 1024 and 1073741824 (1 KiB to 1 GiB), "
        "got 12");
  CHECK(parse_error("{}", {{"MCPD_TOOL_NAME_SEPARATOR", "/"}}) ==
        R"(environment variable MCPD_TOOL_NAME_SEPARATOR must be one of ".", "_", "-", "__", got "/")");
  CHECK(
      parse_error("{}", {{"MCPD_LOG_LEVEL", "loud"}}) ==
      R"(environment variable MCPD_LOG_LEVEL must be one of "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency", got "loud")");
  CHECK_THAT(parse_error("{}", {{"TRACKING_REDACT_RULES_JSON", "[{\"selector\": }]"}}),
             Catch::StartsWith(
                 "environment variable TRACKING_REDACT_RULES_JSON: invalid JSON at line 1, column 15"));
  CHECK(parse_error("{}", {{"TRACKING_REDACT_RULES_JSON", R"({"selector": "x"})"}}) ==
        "environment variable TRACKING_REDACT_RULES_JSON must be a JSON array, got an object");
  // A file value in the way of an override: the variable is named, the value is not shown.
  CHECK(
      parse_error(R"({"plugin_config": {"tracking": {"instances": "oops"}}})", {{"POSTHOG_API_HOST", "h"}}) ==
      "cannot apply environment variable POSTHOG_API_HOST: in config.json, plugin_config.tracking.instances "
      "must be "
      "an object, got a string (value hidden)");
}

TEST_CASE("secrets never appear in errors or warnings") {
  const std::string secret = kSecret;
  // Secret variables sitting on top of a broken file structure.
  for (const char* variable : {"POSTHOG_PROJECT_KEY", "POSTHOG_PERSONAL_API_KEY", "GEMINI_API_KEY"}) {
    INFO(variable);
    const std::string error =
        parse_error(R"({"plugin_config": {"tracking": {"instances": {"default": 5}}, "gemini": {}},
                        "server": {"worker_threads": "x"}})",
                    {{variable, secret}});
    CHECK_FALSE(error.empty());
    CHECK(error.find(secret) == std::string::npos);
  }
  // Secrets written in the file where an object belongs.
  const std::string in_file = parse_error(R"({"plugin_config": {"gemini": ")" + secret + R"("}})");
  CHECK_FALSE(in_file.empty());
  CHECK(in_file.find(secret) == std::string::npos);
  const std::string top = parse_error(R"([")" + secret + R"("])");
  CHECK(top.find(secret) == std::string::npos);
  // Invalid JSON around a secret: the position is given, not the text.
  const std::string broken =
      parse_error(R"({"plugin_config": {"gemini": {"api_key": ")" + secret + R"(" oops}}})");
  CHECK_THAT(broken, Catch::Contains("invalid JSON at line 1"));
  CHECK(broken.find(secret) == std::string::npos);
  // Warnings name keys, never values.
  const Config config = parse(R"({"sever": ")" + secret + R"(", "server": {"nmae": ")" + secret + R"("}})");
  REQUIRE(config.warnings.size() == 2);
  for (const auto& warning : config.warnings) CHECK(warning.find(secret) == std::string::npos);
}

TEST_CASE("check_plugin_section reports schema violations with full setting paths") {
  const json::object section = json::parse(R"({
      "instances": {"default": {"api_host": 5, "personal_api_key": "not-a-phx-key-but-SECRET"}},
      "max_frames": 1000})")
                                   .as_object();
  const auto report = mcpd::config::check_plugin_section("tracking", section, tracking_schema());
  REQUIRE(report.errors.size() == 3);
  CHECK(report.errors[0] == "plugin_config.tracking.instances.default.api_host: expected string, got 5");
  CHECK(report.errors[1] ==
        "plugin_config.tracking.instances.default.personal_api_key: must match the pattern "
        "^phx_[A-Za-z0-9]+$, got a "
        "string (value hidden)");
  CHECK(report.errors[2] == "plugin_config.tracking.max_frames: must be <= 500, got 1000");
  for (const auto& error : report.errors) CHECK(error.find("SECRET") == std::string::npos);
  CHECK(report.unknown_keys.empty());

  const auto valid = mcpd::config::check_plugin_section(
      "tracking", json::parse(R"({"instances": {"default": {"api_host": "https://x.example"}}})").as_object(),
      tracking_schema());
  CHECK(valid.errors.empty());
  CHECK(valid.unknown_keys.empty());
}

TEST_CASE("check_plugin_section names undeclared keys at any depth, with suggestions") {
  const json::object section = json::parse(R"({
      "max_frame": 3,
      "instances": {"default": {"api_host": "https://x.example", "api_hots": "typo"}},
      "redact_rules": [{"selector": "a", "selectr": "b"}],
      "completely_unrelated_setting": true})")
                                   .as_object();
  const auto report = mcpd::config::check_plugin_section("tracking", section, tracking_schema());
  CHECK(report.errors.empty());
  REQUIRE(report.unknown_keys.size() == 4);
  CHECK(
      report.unknown_keys[0] ==
      R"(plugin_config.tracking.max_frame is not a setting of plugin "tracking" and is ignored; did you mean "max_frames"?)");
  CHECK(
      report.unknown_keys[1] ==
      R"(plugin_config.tracking.instances.default.api_hots is not a setting of plugin "tracking" and is ignored; did you mean "api_host"?)");
  CHECK(
      report.unknown_keys[2] ==
      R"(plugin_config.tracking.redact_rules[0].selectr is not a setting of plugin "tracking" and is ignored; did you mean "selector"?)");
  CHECK(
      report.unknown_keys[3] ==
      R"(plugin_config.tracking.completely_unrelated_setting is not a setting of plugin "tracking" and is ignored.)");
}

TEST_CASE("check_plugin_section looks into allOf/anyOf/oneOf parts before calling a key undeclared") {
  const json::value schema = json::parse(R"({"type":"object",
      "properties":{"mode":{"enum":["api","local"]}},
      "oneOf":[{"properties":{"api_host":{"type":"string"}}},{"properties":{"video_dir":{"type":"string"}}}]})");
  const auto report = mcpd::config::check_plugin_section(
      "p", json::parse(R"({"mode":"api","api_host":"h","video_dri":"x"})").as_object(), schema);
  CHECK(
      report.unknown_keys ==
      std::vector<std::string>{
          R"(plugin_config.p.video_dri is not a setting of plugin "p" and is ignored; did you mean "video_dir"?)"});
  CHECK(mcpd::config::check_plugin_section(
            "p", json::parse(R"({"anything":1})").as_object(),
            json::parse(R"({"properties":{"a":{}},"additionalProperties":true})"))
            .unknown_keys.empty());
}

TEST_CASE(
    "check_plugin_section: strict schemas report extras as errors, missing or broken schemas are handled") {
  const json::value strict = json::parse(R"({"type":"object","properties":{"model":{"type":"string"}},
                                             "additionalProperties":false})");
  const auto report =
      mcpd::config::check_plugin_section("gemini", json::parse(R"({"modle":"x"})").as_object(), strict);
  CHECK(report.errors ==
        std::vector<std::string>{"plugin_config.gemini.modle: unknown property (allowed: model)"});
  CHECK(report.unknown_keys.empty());

  const auto none =
      mcpd::config::check_plugin_section("x", json::parse(R"({"a":1})").as_object(), json::value());
  CHECK(none.errors.empty());
  CHECK(none.unknown_keys.empty());

  const auto broken =
      mcpd::config::check_plugin_section("x", json::object(), json::parse(R"({"required":"a"})"));
  REQUIRE(broken.errors.size() == 1);
  CHECK_THAT(broken.errors[0],
             Catch::StartsWith("plugin \"x\" declares a config schema that cannot be used") &&
                 Catch::Contains("\"required\" must be an array of strings"));

  const auto root_error = mcpd::config::check_plugin_section(
      "x", json::object(), json::parse(R"({"type":"object","required":["token"]})"));
  CHECK(root_error.errors == std::vector<std::string>{"plugin_config.x.token: required property missing"});
}

TEST_CASE("redact_secrets hides writeOnly values at any depth and leaves the rest alone") {
  const json::object section = json::parse(R"({
      "instances": {
        "default": {"api_host": "https://us.posthog.com", "project_api_key": "phc_1", "personal_api_key": "phx_SECRET1"},
        "eu": {"api_host": "https://eu.posthog.com", "personal_api_key": "phx_SECRET2"}},
      "redact_rules": [{"selector": "#pw", "token": "SECRET3"}],
      "local_video_dirs": ["/v"],
      "undeclared": {"personal_api_key": "visible: not declared as a secret"}})")
                                   .as_object();
  const json::object redacted = mcpd::config::redact_secrets(section, tracking_schema());
  CHECK(redacted == json::parse(R"({
      "instances": {
        "default": {"api_host": "https://us.posthog.com", "project_api_key": "***", "personal_api_key": "***"},
        "eu": {"api_host": "https://eu.posthog.com", "personal_api_key": "***"}},
      "redact_rules": [{"selector": "#pw", "token": "***"}],
      "local_video_dirs": ["/v"],
      "undeclared": {"personal_api_key": "visible: not declared as a secret"}})")
                        .as_object());
  CHECK(json::serialize(redacted).find("SECRET") == std::string::npos);
  CHECK(at(section, {"instances", "default", "personal_api_key"}) ==
        "phx_SECRET1");  // the input is untouched
}

TEST_CASE("redact_secrets follows patternProperties, allOf and writeOnly on referenced schemas") {
  const json::value schema = json::parse(R"({
      "patternProperties": {"^key_": {"$ref": "#/$defs/secret"}},
      "allOf": [{"properties": {"token": {"type": "string", "writeOnly": true}}}],
      "properties": {"list": {"type": "array", "items": {"$ref": "#/$defs/secret"}}},
      "$defs": {"secret": {"type": "string", "writeOnly": true}}})");
  const json::object redacted = mcpd::config::redact_secrets(
      json::parse(R"({"key_a": "s1", "token": "s2", "list": ["s3", "s4"], "plain": "p"})").as_object(),
      schema);
  CHECK(redacted ==
        json::parse(R"({"key_a": "***", "token": "***", "list": ["***", "***"], "plain": "p"})").as_object());
  // A secret declared in only one alternative is still a secret.
  const json::value alternatives = json::parse(R"({"anyOf": [{"properties": {"user": {"type": "string"}}},
      {"properties": {"password": {"type": "string", "writeOnly": true}}}]})");
  CHECK(mcpd::config::redact_secrets(json::parse(R"({"user": "u", "password": "pw"})").as_object(),
                                     alternatives) ==
        json::parse(R"({"user": "u", "password": "***"})").as_object());
  CHECK(mcpd::config::redact_secrets(json::parse(R"({"a": "b"})").as_object(), json::value()) ==
        json::parse(R"({"a": "b"})").as_object());
}

TEST_CASE("process_environment reads the real environment") {
  ::setenv("MCPD_CONFIG_TEST_VARIABLE", "value-1", 1);
  const Environment env = mcpd::config::process_environment();
  CHECK(env("MCPD_CONFIG_TEST_VARIABLE") == std::optional<std::string>("value-1"));
  ::unsetenv("MCPD_CONFIG_TEST_VARIABLE");
  CHECK(env("MCPD_CONFIG_TEST_VARIABLE") == std::nullopt);
}
