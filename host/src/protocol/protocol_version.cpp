#include "protocol/protocol_version.hpp"

#include <algorithm>

namespace mcpd::protocol {

bool is_supported(std::string_view version) {
  return std::find(kSupportedVersions.begin(), kSupportedVersions.end(), version) != kSupportedVersions.end();
}

std::string_view negotiate(std::string_view requested) {
  for (auto v : kSupportedVersions)
    if (v == requested) return v;
  return kLatestVersion;
}

}  // namespace mcpd::protocol
