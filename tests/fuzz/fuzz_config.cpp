// The configuration loader with hostile file text and hostile environment overrides: input is
// "<config file text>\0NAME=value\0NAME=value...". Every failure must be a ConfigError with a message; then
// each plugin section goes through the schema check and secret redaction with a fixed config schema.
#include <map>
#include <string>

#include <boost/json.hpp>

#include "config/config.hpp"
#include "fuzz_input.hpp"

namespace {

const boost::json::value& section_schema() {
  static const boost::json::value schema = boost::json::parse(R"({
    "type": "object",
    "properties": {
      "api_key": {"type": "string", "writeOnly": true},
      "instances": {"type": "object", "additionalProperties": {"$ref": "#/$defs/instance"}},
      "limits": {"type": "object", "properties": {"n": {"type": "integer", "minimum": 1}}}
    },
    "$defs": {"instance": {"type": "object", "properties": {"token": {"type": "string", "writeOnly": true}}}}
  })");
  return schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = mcpd_fuzz::split_input(data, size, 16);
  std::map<std::string, std::string, std::less<>> variables;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const auto eq = parts[i].find('=');
    if (eq == std::string_view::npos) continue;
    variables[std::string(parts[i].substr(0, eq))] = std::string(parts[i].substr(eq + 1));
  }
  const mcpd::config::Environment env = [&](std::string_view name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
  try {
    const auto config = mcpd::config::parse(parts[0], env, "fuzz.json");
    for (const auto& [name, section] : config.plugin_config) {
      if (!section.is_object()) continue;
      (void)mcpd::config::check_plugin_section(name, section.get_object(), section_schema());
      (void)mcpd::config::redact_secrets(section.get_object(), section_schema());
    }
  } catch (const mcpd::config::ConfigError& error) {
    if (std::string_view(error.what()).empty()) __builtin_trap();  // every refusal says why
  }
  return 0;
}
