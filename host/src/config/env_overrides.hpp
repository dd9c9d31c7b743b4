// Environment variables that override settings of the config file. One table: a new override is a new row.
#pragma once

#include "config/config.hpp"

#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace mcpd::config::detail {

enum class EnvValueKind {
  kText,       // the value as is
  kCount,      // a decimal integer >= 0 (ranges are checked with the setting, naming the variable)
  kPathList,   // colon-separated, empty entries dropped -> array of strings
  kJsonArray,  // a JSON array
  kBoolean,    // true/false, 1/0, yes/no, on/off (any case)
};

struct EnvOverride {
  std::string_view variable;
  std::string_view setting;  // dotted location in the document
  EnvValueKind kind;
  bool secret;  // never printed, not even when malformed
};

inline constexpr EnvOverride kEnvOverrides[] = {
    {"MCPD_LOG_LEVEL", "server.log_level", EnvValueKind::kText, false},
    {"MCPD_WORKER_THREADS", "server.worker_threads", EnvValueKind::kCount, false},
    {"MCPD_TOOL_NAME_SEPARATOR", "server.tool_name_separator", EnvValueKind::kText, false},
    {"MCPD_PAGE_SIZE", "server.page_size", EnvValueKind::kCount, false},
    {"MCPD_MAX_MESSAGE_BYTES", "server.max_message_bytes", EnvValueKind::kCount, false},
    {"MCPD_CALL_TIMEOUT_MS", "server.call_timeout_ms", EnvValueKind::kCount, false},
    {"MCPD_MAX_ABANDONED_WORKERS", "server.max_abandoned_workers", EnvValueKind::kCount, false},
    {"MCPD_REQUEST_STATE_KEY", "server.request_state_key", EnvValueKind::kText, true},
    {"MCPD_REQUEST_STATE_TTL_S", "server.request_state_ttl_s", EnvValueKind::kCount, false},
    {"MCPD_FORMAT_ASSERTION", "server.format_assertion", EnvValueKind::kBoolean, false},
    {"MCPD_PLUGINS_DIR", "plugins.directories", EnvValueKind::kPathList, false},
    {"MCPD_PLUGINS_WATCH", "plugins.watch", EnvValueKind::kBoolean, false},
    {"MCPD_REQUIRE_SIGNED_PLUGINS", "plugins.require_signed", EnvValueKind::kBoolean, false},
    {"MCPD_TRUSTED_KEYS", "plugins.trusted_keys", EnvValueKind::kPathList, false},
    {"MCPD_STAGING_DIR", "plugins.staging_dir", EnvValueKind::kText, false},
    {"POSTHOG_API_HOST", "plugin_config.tracking.instances.default.api_host", EnvValueKind::kText, false},
    {"POSTHOG_PROJECT_KEY", "plugin_config.tracking.instances.default.project_api_key", EnvValueKind::kText,
     true},
    {"POSTHOG_PERSONAL_API_KEY", "plugin_config.tracking.instances.default.personal_api_key",
     EnvValueKind::kText, true},
    {"TRACKING_REDACT_RULES_JSON", "plugin_config.tracking.redact_rules", EnvValueKind::kJsonArray, false},
    {"TRACKING_LOCAL_VIDEO_DIRS", "plugin_config.tracking.local_video_dirs", EnvValueKind::kPathList, false},
    {"GEMINI_API_KEY", "plugin_config.gemini.api_key", EnvValueKind::kText, true},
    {"GEMINI_API_BASE_URL", "plugin_config.gemini.api_base_url", EnvValueKind::kText, false},
};

/// setting -> the variable that set it, so later range checks blame the variable rather than the file.
using OverrideOrigins = std::map<std::string, std::string, std::less<>>;

/// Writes every set (non-empty) variable of kEnvOverrides into `document`, creating missing objects.
/// Throws ConfigError naming the variable when its value is malformed or its setting's parent in the file is
/// not an object; `origin` names the file in the latter case.
OverrideOrigins apply_env_overrides(boost::json::object& document, const Environment& env,
                                    std::string_view origin);

}  // namespace mcpd::config::detail
