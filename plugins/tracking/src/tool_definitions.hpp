// The published definitions of every tracking tool: one JSON file per tool in tools/definitions/, beside
// the handlers, compiled in by mcpd_embed_text_files (CMakeLists.txt). They are pure data, so implementing
// a tool never changes what agents see, and reviewing what agents see never means reading handler code.
// Endpoints, key scopes and rate limits live in docs/tracking.md: an agent reads every description on
// every turn.
#pragma once

#include <mcpd/sdk.hpp>
#include <mcpd/sdk/embedded_text.hpp>
#include <mcpd/sdk/tool_definition_files.hpp>

#include <span>
#include <string_view>

namespace mcpd::tracking {

// Generated from tools/definitions/*.json.
std::span<const sdk::embedded_text_file> embedded_text_files() noexcept;

namespace tool_definitions {

// Every tool this plugin publishes, by its local name (the file tools/definitions/<name>.json).
inline constexpr std::string_view tool_names[] = {
    "capture",       "identify",           "pageview",          "capture_batch",
    "sessions_list", "recordings_list",    "recording_frames",  "ask_question_about_recording",
    "funnels_run",   "feature_flags_list", "feature_flag_eval", "query",
};

// The definition files with their shared fragments (shared.json), naming tools as `services` publishes them.
sdk::tool_definition_files files(const sdk::host& services);

// The tool_spec of the tool `name` (one of tool_names).
sdk::tool_spec load(const sdk::tool_definition_files& files, std::string_view name);

}  // namespace tool_definitions
}  // namespace mcpd::tracking
