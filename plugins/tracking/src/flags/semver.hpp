// Version comparisons for the semver_* feature flag operators.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace mcpd::tracking {

using semver = std::array<long long, 3>;  // major, minor, patch

// "1.2.3", "v1.2", "1.2.3-beta.1+build" -> {1,2,3}, {1,2,0}, {1,2,3}: a leading v is dropped, pre-release
// and build suffixes are ignored, missing parts are 0. nullopt when a part is not a number.
std::optional<semver> parse_semver(std::string_view text);

// The half-open range [low, high) of a ~, ^ or wildcard ("1.2.*") pattern.
struct semver_range {
  semver low;
  semver high;
};
std::optional<semver_range> tilde_range(std::string_view pattern);  // ~1.2.3: >=1.2.3 <1.3.0
std::optional<semver_range> caret_range(std::string_view pattern);  // ^1.2.3: >=1.2.3 <2.0.0; ^0.2.3: <0.3.0
std::optional<semver_range> wildcard_range(std::string_view pattern);  // 1.2.*: >=1.2.0 <1.3.0; 1.*: <2.0.0

}  // namespace mcpd::tracking
