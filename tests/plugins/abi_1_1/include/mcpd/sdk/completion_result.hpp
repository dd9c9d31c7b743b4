// mcpd::sdk::completion_result: what a completion handler returns (CompleteResult.completion).
#ifndef MCPD_SDK_COMPLETION_RESULT_HPP
#define MCPD_SDK_COMPLETION_RESULT_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace mcpd::sdk {

/// Suggested values for an argument. MCP allows at most 100 values per response: the SDK sends the first
/// 100, sets has_more and, unless `total` is given, reports the full count as total.
struct completion_result {
  std::vector<std::string> values{};
  std::optional<std::size_t> total{};
  bool has_more = false;
};

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_COMPLETION_RESULT_HPP
