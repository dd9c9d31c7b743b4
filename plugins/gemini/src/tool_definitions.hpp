// The published definitions of the gemini tools: one JSON file per tool in tools/definitions/, compiled in
// by mcpd_embed_text_files (CMakeLists.txt). Pure data, kept apart from the handlers so implementing a tool
// never changes what agents see. Endpoints, limits and the model rules live in docs/gemini.md.
#pragma once

#include <mcpd/sdk.hpp>
#include <mcpd/sdk/embedded_text.hpp>
#include <mcpd/sdk/tool_definition_files.hpp>

#include <span>
#include <string_view>

namespace mcpd::gemini {

// Generated from tools/definitions/*.json.
std::span<const sdk::embedded_text_file> embedded_text_files() noexcept;

namespace tool_definitions {

inline constexpr std::string_view tool_names[] = {"ask_about_images", "ask_about_video", "models_list"};

// The tool_spec of `name` (one of tool_names), naming tools as `services` publishes them.
sdk::tool_spec load(const sdk::host& services, std::string_view name);

}  // namespace tool_definitions
}  // namespace mcpd::gemini
