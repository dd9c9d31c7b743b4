// sdk::read_settings and settings_schema: a plugin's configuration section read into a typed struct, with
// every problem naming its setting, and the host's findings (ABI 1.4 config_problems_json) taken first.
#include <catch2/catch.hpp>

#include <mcpd/sdk/host.hpp>
#include <mcpd/sdk/settings.hpp>

#include <cstddef>
#include <string>
#include <tuple>
#include <vector>

namespace sdk = mcpd::sdk;
namespace json = boost::json;

namespace {

struct endpoint {
  std::string url = "https://api.example.com";
  int retries = 2;
  static auto fields() {
    return std::tuple{sdk::field(&endpoint::url, "url", "Base URL").optional(),
                      sdk::field(&endpoint::retries, "retries", "").with("minimum", 0).optional()};
  }
};

struct weather_settings {
  std::string api_key;
  int timeout_ms = 30000;
  endpoint upstream;
  std::vector<std::string> cities;
  static auto fields() {
    return std::tuple{
        sdk::field(&weather_settings::api_key, "api_key", "API key").with("writeOnly", true),
        sdk::field(&weather_settings::timeout_ms, "timeout_ms", "").with("minimum", 100).optional(),
        sdk::field(&weather_settings::upstream, "upstream", "").optional(),
        sdk::field(&weather_settings::cities, "cities", "").optional()};
  }
};

json::object section(std::string_view text) {
  return json::parse(text).as_object();
}

}  // namespace

TEST_CASE("settings: valid settings are read and the rest keep their defaults", "[sdk][settings]") {
  const auto view = sdk::read_settings<weather_settings>(
      section(R"({"api_key": "k-1", "upstream": {"retries": 5}, "cities": ["Lyon", "Oslo"]})"), "weather");
  CHECK(view.ok());
  CHECK(view.problems.empty());
  CHECK(view.value.api_key == "k-1");
  CHECK(view.value.timeout_ms == 30000);
  CHECK(view.value.upstream.url == "https://api.example.com");
  CHECK(view.value.upstream.retries == 5);
  CHECK(view.value.cities == std::vector<std::string>{"Lyon", "Oslo"});
}

TEST_CASE("settings: a wrong setting keeps its default and is named with its full path", "[sdk][settings]") {
  const auto view = sdk::read_settings<weather_settings>(
      section(R"({"timeout_ms": "fast", "upstream": {"url": 7}, "cities": ["Lyon", 3]})"), "weather");
  REQUIRE(view.problems.size() == 4);
  CHECK(view.problems[0] == "plugin_config.weather.api_key: required, and not set");
  CHECK(view.problems[1] == "plugin_config.weather.timeout_ms: must be an integer that fits, not a string");
  CHECK(view.problems[2] == "plugin_config.weather.upstream.url: must be a string, not an integer");
  CHECK(view.problems[3] == "plugin_config.weather.cities[1]: must be a string, not an integer");
  // A setting that cannot be read is left whole at its default: the plugin can still run on the view.
  CHECK(view.value.timeout_ms == 30000);
  CHECK(view.value.upstream.url == "https://api.example.com");
  CHECK(view.value.upstream.retries == 2);
  CHECK(view.value.cities.empty());
  CHECK_FALSE(view.ok());
  CHECK(
      view.describe_problems() ==
      "the operator must fix this plugin's settings: plugin_config.weather.api_key: required, and not set; "
      "plugin_config.weather.timeout_ms: must be an integer that fits, not a string; "
      "plugin_config.weather.upstream.url: must be a string, not an integer; "
      "plugin_config.weather.cities[1]: must be a string, not an integer. Correct mcpd's config file (or the "
      "environment variable that sets the value) and reload the plugin (mcpd plugin reload, or SIGHUP).");
  const auto result = view.error_result();
  CHECK(result.is_error());
}

TEST_CASE("settings: what the host reported comes first, and those settings keep their defaults",
          "[sdk][settings]") {
  // The host checked the section against the schema (minimum 100) and found timeout_ms wrong; the type
  // is right, so only the host's report keeps the bad value out of the view.
  const std::vector<std::string> host_problems = {
      "plugin_config.weather.timeout_ms: must be >= 100, got 5",
      "plugin_config.weather.upstream.retries: must be >= 0, got -1"};
  const auto view = sdk::read_settings<weather_settings>(
      section(R"({"api_key": "k", "timeout_ms": 5, "upstream": {"retries": -1, "url": "https://x"}})"),
      "weather", host_problems);
  CHECK(view.problems == host_problems);
  CHECK(view.value.timeout_ms == 30000);
  CHECK(view.value.upstream.retries == 2);
  CHECK(view.value.upstream.url == "https://api.example.com");  // the whole setting keeps its default
  CHECK(view.value.api_key == "k");
  // A report about "timeout_ms_extra" is not about "timeout_ms".
  const auto other =
      sdk::read_settings<weather_settings>(section(R"({"api_key": "k", "timeout_ms": 500})"), "weather",
                                           {"plugin_config.weather.timeout_ms_x: odd"});
  CHECK(other.value.timeout_ms == 500);
  CHECK(other.problems.size() == 1);
}

TEST_CASE("settings: the config schema has every default and leaves objects open", "[sdk][settings]") {
  const json::object schema = sdk::settings_schema<weather_settings>();
  INFO(json::serialize(schema));
  CHECK_FALSE(schema.contains("additionalProperties"));
  const auto& properties = schema.at("properties").as_object();
  CHECK(properties.at("api_key").as_object().at("writeOnly") == true);
  CHECK(properties.at("timeout_ms").as_object().at("default") == 30000);
  CHECK(properties.at("timeout_ms").as_object().at("minimum") == 100);
  const auto& upstream = properties.at("upstream").as_object();
  CHECK_FALSE(upstream.contains("additionalProperties"));
  CHECK(upstream.at("properties").at("url").at("default") == "https://api.example.com");
  CHECK(schema.at("required") == json::array{"api_key"});
}

TEST_CASE("settings: host::config_problems reads ABI 1.4's list, and nothing from an older host",
          "[sdk][settings]") {
  const std::string listed = R"(["plugin_config.weather.timeout_ms: must be >= 100, got 5"])";
  mcpd_host_api api{};
  api.struct_size = sizeof(api);
  api.config_problems_json = {listed.data(), listed.size()};
  CHECK(sdk::host(&api).config_problems() ==
        std::vector<std::string>{"plugin_config.weather.timeout_ms: must be >= 100, got 5"});
  // A 1.3 host's struct ends before the field: whatever lies beyond is not read.
  api.struct_size = offsetof(mcpd_host_api, config_problems_json);
  CHECK(sdk::host(&api).config_problems().empty());
  api.struct_size = sizeof(api);
  api.config_problems_json = {nullptr, 0};
  CHECK(sdk::host(&api).config_problems().empty());
  CHECK(sdk::host().config_problems().empty());
}
