#pragma once
// Ordering the version strings plugins declare, to decide which of two files
// claiming one namespace serves (hotswap/reload_plan.hpp).
#include <string_view>

namespace mcpd::hotswap {

// <0, 0 or >0 like strcmp. Semantic-version order where the strings are
// semantic versions: numbers compare as numbers (1.10.0 > 1.9.0), a
// pre-release is older than its release (1.0.0-rc1 < 1.0.0), build metadata
// (+...) is ignored. Other strings compare the same way, digit runs as numbers.
int compare_plugin_versions(std::string_view a, std::string_view b);

}  // namespace mcpd::hotswap
