// Reading the known sections of the config document into typed settings, with the checks and warnings that
// make a mistake easy to find.
#pragma once

#include "config/config.hpp"
#include "config/env_overrides.hpp"

#include <boost/json/object.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::config::detail {

/// Top-level keys of the document. "http" is read from Config::raw by transport/http; a new section is added
/// here so that it is not reported as unknown.
inline constexpr std::string_view kTopLevelKeys[] = {"$schema",       "server", "plugins",
                                                     "plugin_config", "http",   "tasks"};
inline constexpr std::string_view kServerKeys[] = {"name",
                                                   "instructions",
                                                   "log_level",
                                                   "worker_threads",
                                                   "max_message_bytes",
                                                   "tool_name_separator",
                                                   "page_size",
                                                   "client_request_timeout_ms",
                                                   "shutdown_timeout_ms",
                                                   "call_timeout_ms",
                                                   "max_abandoned_workers",
                                                   "quick_call_us",
                                                   "max_subscriptions_per_session",
                                                   "max_subscription_uri_bytes",
                                                   "format_assertion",
                                                   "list_cache_ttl_ms",
                                                   "resource_cache_ttl_ms",
                                                   "request_state_key",
                                                   "request_state_ttl_s"};
inline constexpr std::string_view kPluginsKeys[] = {"directories",
                                                    "files",
                                                    "watch",
                                                    "debounce_ms",
                                                    "require_signed",
                                                    "trusted_keys",
                                                    "staging_dir",
                                                    "max_retired_resident",
                                                    "incomplete_file_timeout_ms",
                                                    "probe_timeout_ms"};
inline constexpr std::string_view kToolNameSeparators[] = {".", "_", "-", "__"};

/// Throws ConfigError unless "server", "plugins", "plugin_config" and every plugin_config section are objects
/// (when present). Runs before the environment is applied, so the file is blamed for the file's mistakes.
void check_section_shapes(const boost::json::object& document, std::string_view origin);

/// One sentence per unknown key at the top level, in "server" and in "plugins", with a suggestion when a
/// known key is close.
std::vector<std::string> unknown_key_warnings(const boost::json::object& document, std::string_view origin);

class DocumentReader {
 public:
  /// `base_directory`: where relative plugin paths from the file are anchored (none: keep them relative).
  DocumentReader(const boost::json::object& document, std::string_view origin,
                 const OverrideOrigins& overrides, std::optional<std::filesystem::path> base_directory);

  ServerSettings server() const;
  PluginSources plugins() const;
  PluginPolicy plugin_policy() const;

 private:
  /// "config.json: server.worker_threads", or "environment variable MCPD_WORKER_THREADS" when it set it.
  std::string subject(std::string_view setting) const;
  const boost::json::value* find(std::string_view section, std::string_view key) const;

  std::optional<std::uint64_t> integer(std::string_view section, std::string_view key, std::uint64_t min,
                                       std::uint64_t max, std::string_view range_note = {}) const;
  std::optional<std::string> text(std::string_view section, std::string_view key, bool allow_empty) const;
  std::optional<bool> boolean(std::string_view section, std::string_view key) const;
  /// A secret key's text (see secret_key.hpp); a malformed one is refused without showing it.
  std::optional<std::string> secret_key(std::string_view section, std::string_view key) const;
  std::vector<std::filesystem::path> paths(std::string_view key) const;

  const boost::json::object& document_;
  std::string_view origin_;
  const OverrideOrigins& overrides_;
  std::optional<std::filesystem::path> base_directory_;
};

}  // namespace mcpd::config::detail
