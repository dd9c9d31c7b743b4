#include "config/config.hpp"

#include "config/document_reader.hpp"
#include "config/env_overrides.hpp"
#include "config/json_text.hpp"
#include "schema/json_values.hpp"

#include <boost/json/string.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

namespace mcpd::config {
namespace json = boost::json;

namespace {

// A config file is a few kilobytes; anything this large is a mistake (e.g. --config pointing at a video).
constexpr std::uintmax_t kMaxConfigFileBytes = 16u << 20;

Config parse_document(std::string_view text, const Environment& env, std::string_view origin,
                      std::optional<std::filesystem::path> base_directory) {
  json::value parsed = detail::parse_json_text(text, origin);
  if (!parsed.is_object()) {
    throw ConfigError(std::string(origin) + ": the configuration must be a JSON object ({...}), got " +
                      schema::detail::describe_hidden_value(parsed));
  }
  Config config;
  config.raw = std::move(parsed.get_object());
  detail::check_section_shapes(config.raw, origin);
  config.warnings = detail::unknown_key_warnings(config.raw, origin);
  const detail::OverrideOrigins overrides = detail::apply_env_overrides(config.raw, env, origin);

  const detail::DocumentReader reader(config.raw, origin, overrides, std::move(base_directory));
  config.server = reader.server();
  config.plugins = reader.plugins();
  config.plugin_policy = reader.plugin_policy();
  if (const auto* sections = config.raw.if_contains("plugin_config"))
    config.plugin_config = sections->get_object();
  return config;
}

std::string read_file(const std::filesystem::path& file) {
  const std::string name = "config file \"" + file.string() + "\"";
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (!std::filesystem::exists(status)) {
    throw ConfigError(name + " not found" +
                      (ec && ec != std::errc::no_such_file_or_directory ? " (" + ec.message() + ")" : ""));
  }
  if (std::filesystem::is_directory(status)) throw ConfigError(name + " is a directory, not a file");
  const auto size = std::filesystem::file_size(file, ec);
  if (!ec && size > kMaxConfigFileBytes)
    throw ConfigError(name + " is larger than 16 MiB; is it really the config?");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError("cannot read " + name + ": " + std::strerror(errno));
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw ConfigError("cannot read " + name + ": " + std::strerror(errno));
  return std::move(content).str();
}

}  // namespace

Environment process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Config parse(std::string_view json_text, const Environment& env, std::string_view origin) {
  return parse_document(json_text, env, origin, std::nullopt);
}

Config load(const std::optional<std::filesystem::path>& file, const Environment& env) {
  if (!file) return parse_document("{}", env, "<no config file>", std::nullopt);
  const std::string text = read_file(*file);
  return parse_document(text, env, file->string(), file->parent_path());
}

}  // namespace mcpd::config
