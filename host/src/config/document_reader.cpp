#include "config/document_reader.hpp"

#include "config/closest_name.hpp"
#include "config/secret_key.hpp"
#include "schema/json_values.hpp"

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace mcpd::config::detail {
namespace json = boost::json;
using schema::detail::describe_hidden_value;
using schema::detail::describe_value;

namespace {

std::string quoted_list(std::span<const std::string_view> items) {
  std::string out;
  for (const auto item : items) out += (out.empty() ? "\"" : ", \"") + std::string(item) + "\"";
  return out;
}

void warn_unknown(const json::object& object, std::string_view prefix,
                  std::span<const std::string_view> known, std::string_view origin,
                  std::vector<std::string>& warnings) {
  for (const auto& member : object) {
    const std::string_view key = member.key();
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const std::string shown_key = std::string(prefix) + std::string(key);
    std::string sentence = std::string(origin) + ": unknown key \"" + shown_key + "\" is ignored";
    if (const auto suggestion = closest_name(key, known)) {
      sentence += "; did you mean \"" + std::string(prefix) + *suggestion + "\"?";
    } else {
      sentence += ".";
    }
    warnings.push_back(std::move(sentence));
  }
}

}  // namespace

void check_section_shapes(const json::object& document, std::string_view origin) {
  for (const std::string_view section : {"server", "plugins", "plugin_config"}) {
    const auto* value = document.if_contains(section);
    if (value == nullptr || value->is_object()) continue;
    // plugin_config may hold secrets: its mistakes are described by kind only.
    throw ConfigError(std::string(origin) + ": " + std::string(section) + " must be an object, got " +
                      (section == "plugin_config" ? describe_hidden_value(*value) : describe_value(*value)));
  }
  if (const auto* plugin_config = document.if_contains("plugin_config")) {
    for (const auto& member : plugin_config->get_object()) {
      if (member.value().is_object()) continue;
      throw ConfigError(std::string(origin) + ": plugin_config." + std::string(member.key()) +
                        " must be an object (the plugin's settings), got " +
                        describe_hidden_value(member.value()));
    }
  }
}

std::vector<std::string> unknown_key_warnings(const json::object& document, std::string_view origin) {
  std::vector<std::string> warnings;
  warn_unknown(document, "", kTopLevelKeys, origin, warnings);
  if (const auto* server = document.if_contains("server"))
    warn_unknown(server->get_object(), "server.", kServerKeys, origin, warnings);
  if (const auto* plugins = document.if_contains("plugins"))
    warn_unknown(plugins->get_object(), "plugins.", kPluginsKeys, origin, warnings);
  return warnings;
}

DocumentReader::DocumentReader(const json::object& document, std::string_view origin,
                               const OverrideOrigins& overrides,
                               std::optional<std::filesystem::path> base_directory)
    : document_(document),
      origin_(origin),
      overrides_(overrides),
      base_directory_(std::move(base_directory)) {}

std::string DocumentReader::subject(std::string_view setting) const {
  if (const auto found = overrides_.find(setting); found != overrides_.end()) {
    return "environment variable " + found->second;
  }
  return std::string(origin_) + ": " + std::string(setting);
}

const json::value* DocumentReader::find(std::string_view section, std::string_view key) const {
  const auto* object = document_.if_contains(section);
  return object == nullptr ? nullptr : object->get_object().if_contains(key);
}

std::optional<std::uint64_t> DocumentReader::integer(std::string_view section, std::string_view key,
                                                     std::uint64_t min, std::uint64_t max,
                                                     std::string_view range_note) const {
  const json::value* value = find(section, key);
  if (value == nullptr) return std::nullopt;
  const std::string who = subject(std::string(section) + "." + std::string(key));
  if (!schema::detail::is_integer(*value)) {
    throw ConfigError(who + (min > 0 ? " must be a positive integer" : " must be a non-negative integer") +
                      ", got " + describe_value(*value));
  }
  const bool below = schema::detail::compare_numbers(*value, json::value(min)) < 0;
  const bool above = schema::detail::compare_numbers(*value, json::value(max)) > 0;
  if (below || above) {
    throw ConfigError(who + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
                      std::string(range_note) + ", got " + describe_value(*value));
  }
  if (value->is_double()) return static_cast<std::uint64_t>(value->get_double());
  return value->is_int64() ? static_cast<std::uint64_t>(value->get_int64()) : value->get_uint64();
}

std::optional<std::string> DocumentReader::text(std::string_view section, std::string_view key,
                                                bool allow_empty) const {
  const json::value* value = find(section, key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string() || (!allow_empty && value->get_string().empty())) {
    throw ConfigError(subject(std::string(section) + "." + std::string(key)) +
                      (allow_empty ? " must be a string" : " must be a non-empty string") + ", got " +
                      describe_value(*value));
  }
  return std::string(value->get_string());
}

std::optional<std::string> DocumentReader::secret_key(std::string_view section, std::string_view key) const {
  const json::value* value = find(section, key);
  if (value == nullptr) return std::nullopt;
  // Checked here rather than where the key is used, so a bad key stops mcpd at start naming the file or the
  // variable; described by kind only, as it is a secret.
  if (!value->is_string() || !decode_secret_key(value->get_string())) {
    throw ConfigError(subject(std::string(section) + "." + std::string(key)) + " must be " +
                      std::string(kSecretKeyFormat) + ", got " + describe_hidden_value(*value));
  }
  return std::string(value->get_string());
}

std::optional<bool> DocumentReader::boolean(std::string_view section, std::string_view key) const {
  const json::value* value = find(section, key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_bool()) {
    throw ConfigError(subject(std::string(section) + "." + std::string(key)) +
                      " must be true or false, got " + describe_value(*value));
  }
  return value->get_bool();
}

ServerSettings DocumentReader::server() const {
  ServerSettings s;
  if (auto name = text("server", "name", false)) s.name = std::move(*name);
  if (auto instructions = text("server", "instructions", true)) s.instructions = std::move(*instructions);
  if (auto level = text("server", "log_level", false)) {
    // LOG_LEVEL=DEBUG is a common habit; levels are compared without case.
    std::transform(level->begin(), level->end(), level->begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (*level == "warn") *level = "warning";
    if (std::find(std::begin(kLogLevels), std::end(kLogLevels), *level) == std::end(kLogLevels)) {
      std::string message = subject("server.log_level") + " must be one of " + quoted_list(kLogLevels) +
                            ", got " + describe_value(json::value(json::string_view(*level)));
      if (const auto suggestion = closest_name(*level, kLogLevels))
        message += " (did you mean \"" + *suggestion + "\"?)";
      throw ConfigError(message);
    }
    s.log_level = std::move(*level);
  }
  if (const auto n = integer("server", "worker_threads", 1, 256))
    s.worker_threads = static_cast<unsigned>(*n);
  if (const auto n = integer("server", "max_message_bytes", 1024, 1u << 30, " (1 KiB to 1 GiB)")) {
    s.max_message_bytes = static_cast<std::size_t>(*n);
  }
  if (auto separator = text("server", "tool_name_separator", false)) {
    if (std::find(std::begin(kToolNameSeparators), std::end(kToolNameSeparators), *separator) ==
        std::end(kToolNameSeparators)) {
      throw ConfigError(subject("server.tool_name_separator") + " must be one of " +
                        quoted_list(kToolNameSeparators) + ", got " +
                        describe_value(json::value(json::string_view(*separator))));
    }
    s.tool_name_separator = std::move(*separator);
  }
  if (const auto n = integer("server", "page_size", 1, 1000)) s.page_size = static_cast<std::size_t>(*n);
  if (const auto n = integer("server", "client_request_timeout_ms", 1, 86'400'000, " (24 hours)")) {
    s.client_request_timeout_ms = static_cast<unsigned>(*n);
  }
  if (const auto n = integer("server", "shutdown_timeout_ms", 0, 3'600'000, " (1 hour)")) {
    s.shutdown_timeout_ms = static_cast<unsigned>(*n);
  }
  if (const auto n = integer("server", "call_timeout_ms", 0, 86'400'000, " (24 hours; 0 means no limit)")) {
    s.call_timeout_ms = static_cast<unsigned>(*n);
  }
  if (const auto n = integer("server", "max_abandoned_workers", 0, 256))
    s.max_abandoned_workers = static_cast<unsigned>(*n);
  if (const auto n = integer("server", "quick_call_us", 0, 1'000'000, " (1 s; 0 means never in place)"))
    s.quick_call_us = static_cast<unsigned>(*n);
  if (const auto n = integer("server", "max_subscriptions_per_session", 1, 1'000'000))
    s.max_subscriptions_per_session = static_cast<std::size_t>(*n);
  if (const auto n = integer("server", "max_subscription_uri_bytes", 64, 1u << 20, " (1 MiB)"))
    s.max_subscription_uri_bytes = static_cast<std::size_t>(*n);
  if (const auto n = integer("server", "list_cache_ttl_ms", 0, 86'400'000, " (24 hours)"))
    s.list_cache_ttl_ms = static_cast<unsigned>(*n);
  if (const auto n = integer("server", "resource_cache_ttl_ms", 0, 86'400'000, " (24 hours)"))
    s.resource_cache_ttl_ms = static_cast<unsigned>(*n);
  if (auto key = secret_key("server", "request_state_key")) s.request_state_key = std::move(*key);
  if (const auto n = integer("server", "request_state_ttl_s", 10, 86'400, " (seconds, up to 24 hours)"))
    s.request_state_ttl_s = static_cast<unsigned>(*n);
  if (const auto asserted = boolean("server", "format_assertion")) s.format_assertion = *asserted;
  return s;
}

std::vector<std::filesystem::path> DocumentReader::paths(std::string_view key) const {
  const json::value* value = find("plugins", key);
  if (value == nullptr) return {};
  const std::string setting = "plugins." + std::string(key);
  const bool from_file = !overrides_.contains(setting);
  if (!value->is_array())
    throw ConfigError(subject(setting) + " must be an array of paths, got " + describe_value(*value));
  std::vector<std::filesystem::path> out;
  const auto& items = value->get_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string() || items[i].get_string().empty()) {
      throw ConfigError(subject(setting) + "[" + std::to_string(i) +
                        "] must be a non-empty path string, got " + describe_value(items[i]));
    }
    std::filesystem::path path(std::string(items[i].get_string()));
    if (from_file && base_directory_ && path.is_relative()) path = *base_directory_ / path;
    out.push_back(std::move(path));
  }
  return out;
}

PluginSources DocumentReader::plugins() const {
  return {paths("directories"), paths("files")};
}

PluginPolicy DocumentReader::plugin_policy() const {
  PluginPolicy p;
  if (const auto watch = boolean("plugins", "watch")) p.watch = *watch;
  if (const auto n = integer("plugins", "debounce_ms", 0, 60'000, " (1 minute)"))
    p.debounce_ms = static_cast<unsigned>(*n);
  if (const auto required = boolean("plugins", "require_signed")) p.require_signed = *required;
  if (const json::value* keys = find("plugins", "trusted_keys")) {
    const std::string who = subject("plugins.trusted_keys");
    if (!keys->is_array())
      throw ConfigError(who + " must be an array of public keys (base64, from `mcpd plugin keygen`), got " +
                        describe_value(*keys));
    const auto& items = keys->get_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!items[i].is_string() || items[i].get_string().empty())
        throw ConfigError(who + "[" + std::to_string(i) + "] must be a non-empty string, got " +
                          describe_value(items[i]));
      p.trusted_keys.emplace_back(items[i].get_string());
    }
  }
  if (auto dir = text("plugins", "staging_dir", false)) {
    std::filesystem::path path(*dir);
    if (!overrides_.contains("plugins.staging_dir") && base_directory_ && path.is_relative())
      path = *base_directory_ / path;
    p.staging_dir = std::move(path);
  }
  if (const auto n = integer("plugins", "max_retired_resident", 0, 1000))
    p.max_retired_resident = static_cast<unsigned>(*n);
  if (const auto n = integer("plugins", "incomplete_file_timeout_ms", 0, 86'400'000, " (24 hours)"))
    p.incomplete_file_timeout_ms = static_cast<unsigned>(*n);
  if (const auto n = integer("plugins", "probe_timeout_ms", 100, 600'000, " (10 minutes)"))
    p.probe_timeout_ms = static_cast<unsigned>(*n);
  return p;
}

}  // namespace mcpd::config::detail
