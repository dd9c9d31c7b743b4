#pragma once
// MCP protocol revisions this host speaks, negotiation, and the features each
// revision gates (reference: mcp.md section 1).
#include <array>
#include <string_view>

namespace mcpd::protocol {

inline constexpr std::string_view kLatestVersion = "2025-11-25";
inline constexpr std::array<std::string_view, 4> kSupportedVersions = {"2025-11-25", "2025-06-18",
                                                                       "2025-03-26", "2024-11-05"};

bool is_supported(std::string_view version);
// The client's version when supported, else our latest (the spec's rule).
std::string_view negotiate(std::string_view requested);

// Revision dates compare lexicographically, which is what these gates rely on.
inline bool at_least(std::string_view version, std::string_view revision) {
  return version >= revision;
}
inline bool allows_batches(std::string_view v) {
  return !at_least(v, "2025-06-18");
}
inline bool has_structured_content(std::string_view v) {
  return at_least(v, "2025-06-18");
}
inline bool has_audio_content(std::string_view v) {
  return at_least(v, "2025-03-26");
}
inline bool has_resource_links(std::string_view v) {
  return at_least(v, "2025-06-18");
}

}  // namespace mcpd::protocol
