#include "tool_names.hpp"

namespace mcpd::gemini {

std::string gemini_tool_beside(std::string_view tool, std::string_view local_name) {
  constexpr std::string_view ns = "gemini";
  std::string_view separator = ".";
  if (tool.starts_with(ns) && tool.size() > ns.size()) {
    separator = tool.substr(ns.size()).starts_with("__") ? "__" : tool.substr(ns.size(), 1);
  }
  return std::string(ns) + std::string(separator) + std::string(local_name);
}

}  // namespace mcpd::gemini
