#pragma once
// Published names of tools and prompts. Internally a tool is `namespace.tool`;
// what tools/list publishes uses a configurable separator because many clients
// reject dots (reference: mcp.md section 6). tools/call accepts both forms.
#include <optional>
#include <string>
#include <string_view>

namespace mcpd::registry {

// [a-z0-9_-], 1..32 bytes.
std::optional<std::string> check_namespace(std::string_view ns);
// [A-Za-z0-9_-], 1..64 bytes (dots are reserved for the namespace separator).
std::optional<std::string> check_local_name(std::string_view name);
bool is_valid_separator(std::string_view separator);

inline constexpr std::string_view kQualifiedSeparator = ".";
inline constexpr std::size_t kMaxPublishedName = 128;  // the spec's SHOULD limit

std::string qualified_name(std::string_view ns, std::string_view local);
// `unprefixed` publishes the bare local name (MCPD_PLUGIN_FLAG_UNPREFIXED).
std::string published_name(std::string_view ns, std::string_view local, std::string_view separator,
                           bool unprefixed);

}  // namespace mcpd::registry
