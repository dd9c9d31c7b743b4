// mcpd's configuration: one JSON file (all keys optional) plus environment overrides, which win.
//
//   { "server": {...}, "plugins": {"directories": [...], "files": [...]},
//     "plugin_config": {"<namespace>": {...}} }
//
// Each plugin later receives only its own plugin_config section, checked against the config schema it
// declares (check_plugin_section) and shown to operators with its secrets hidden (redact_secrets).
#pragma once

#include "schema/validator.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::config {

/// Accepted values of server.log_level / MCPD_LOG_LEVEL (MCP's logging levels, least to most severe);
/// compared without case, and "warn" is read as "warning".
inline constexpr std::string_view kLogLevels[] = {"debug", "info",     "notice", "warning",
                                                  "error", "critical", "alert",  "emergency"};

struct ServerSettings {
  std::string name = "mcpd";
  std::string instructions;
  std::string log_level = "info";              // one of kLogLevels
  unsigned worker_threads = 4;                 // 1..256
  std::size_t max_message_bytes = 16u << 20;   // 1 KiB..1 GiB
  std::string tool_name_separator = "_";       // ".", "_", "-" or "__"
  std::size_t page_size = 100;                 // 1..1000
  unsigned client_request_timeout_ms = 60000;  // 1..86400000 (24 h)
  unsigned shutdown_timeout_ms = 10000;        // 0..3600000 (1 h)
  // A plugin call still running after this is answered with an error and abandoned (its thread cannot be
  // stopped), and the plugin is marked unhealthy. 10 min: tracking's recording renders take minutes.
  unsigned call_timeout_ms = 600000;  // 0 (none)..86400000 (24 h)
  // Abandoned worker threads that are replaced by new ones; past this, calls to a plugin with a call still
  // stuck are refused at once.
  unsigned max_abandoned_workers = 8;               // 0..256
  unsigned quick_call_us = 200;                     // 0 (never in place)..1000000: see QuickCallHistory
  std::size_t max_subscriptions_per_session = 256;  // 1..1000000
  std::size_t max_subscription_uri_bytes = 4096;    // 64..1048576
  // ttlMs of 2026-07-28 results: how long a client or gateway may reuse server/discover and the lists
  // (a hot swap changes them; listeners are told at once), and resources/read (0: revalidate every time).
  unsigned list_cache_ttl_ms = 30000;  // 0..86400000
  unsigned resource_cache_ttl_ms = 0;  // 0..86400000
  // Secret that seals the requestState of 2026-07-28 input_required results, as written (64 hex digits or
  // base64 of >= 32 bytes; checked at load, mrtr::StateSeal::decode_key gives its bytes). Every instance of a
  // fleet needs the same one to open what another sealed. Empty: none set (a random key per process).
  std::string request_state_key;
  // How long a sealed requestState may be sent back: the client's whole round trip (a user filling in a
  // form) must fit in it, and a shorter one leaves less time to replay a stolen state.
  unsigned request_state_ttl_s = 600;  // 10..86400
  // "format" in plugins' schemas (tool arguments and results, config sections): an annotation, as JSON Schema
  // 2020-12 says (false), or checked by the validator's format checkers (true).
  bool format_assertion = false;
};

/// Relative paths from the config file are resolved against the file's directory; paths from
/// MCPD_PLUGINS_DIR (colon-separated, replaces the file's directories) are used as given.
struct PluginSources {
  std::vector<std::filesystem::path> directories;
  std::vector<std::filesystem::path> files;
};

/// How plugins are replaced while mcpd serves, and which ones it trusts (the same "plugins" section).
struct PluginPolicy {
  bool watch = true;                      // inotify on the plugin directories (serve only)
  unsigned debounce_ms = 200;             // 0..60000: quiet time after the last file event
  bool require_signed = false;            // refuse plugins without a valid signature by a trusted key
  std::vector<std::string> trusted_keys;  // Ed25519 public keys, base64 (mcpd plugin keygen)
  std::filesystem::path staging_dir;      // empty: $XDG_RUNTIME_DIR/mcpd or <temp>/mcpd-<uid>
  unsigned max_retired_resident = 4;      // 0..1000: replaced versions kept in memory before it is reported
  // 0..86400000: how long a plugin file may stay incomplete (truncated, or
  // open for writing) without changing before it is refused as a broken deploy.
  unsigned incomplete_file_timeout_ms = 30000;
  // 100..600000: how long the child process that test-loads a new plugin file
  // (`mcpd plugin probe`) may take before the file is refused as hanging.
  unsigned probe_timeout_ms = 10000;
};

struct Config {
  ServerSettings server;
  PluginSources plugins;
  PluginPolicy plugin_policy;
  boost::json::object plugin_config;  // namespace -> section object, environment overrides applied
  boost::json::object raw;            // the whole document as written, environment overrides applied
  std::vector<std::string> warnings;  // unknown keys etc., each a full sentence naming the file
};

/// Looks a variable up; std::nullopt when unset. Tests pass a map-backed one.
using Environment = std::function<std::optional<std::string>(std::string_view name)>;

/// The real process environment (std::getenv).
Environment process_environment();

/// Every message names the file (or the environment variable) and never contains a secret's value.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Reads `file` (none: defaults plus environment). Throws ConfigError when the file is missing, unreadable,
/// not JSON (line and column given), or a known key has the wrong type or is out of range; likewise for a
/// malformed environment override. Empty environment variables count as unset.
Config load(const std::optional<std::filesystem::path>& file, const Environment& env);

/// As load, from text; `origin` names the text in messages. Relative plugin paths are kept as written.
Config parse(std::string_view json_text, const Environment& env, std::string_view origin = "<string>");

/// The result of checking one plugin's section against the config schema the plugin declared.
/// Every entry is a full sentence starting with the setting's path (plugin_config.<namespace>...).
struct SectionReport {
  std::vector<std::string> errors;        // the section violates the schema (or the schema is broken)
  std::vector<std::string> unknown_keys;  // keys the schema does not declare (not rejected by it, ignored)
};

/// `config_schema` null means the plugin declared none: nothing is checked. Values of "writeOnly"
/// properties never appear in the sentences. `formats`: what "format" does (server.format_assertion).
SectionReport check_plugin_section(std::string_view plugin_namespace, const boost::json::object& section,
                                   const boost::json::value& config_schema,
                                   schema::FormatMode formats = schema::FormatMode::kAnnotation);

/// A copy of `section` with the value of every property whose schema says "writeOnly": true replaced by
/// "***", at any depth: nested objects, additionalProperties maps
/// (tracking.instances.<name>.personal_api_key), patternProperties and array items; $ref to "#/..." is
/// followed.
boost::json::object redact_secrets(const boost::json::object& section,
                                   const boost::json::value& config_schema);

}  // namespace mcpd::config
