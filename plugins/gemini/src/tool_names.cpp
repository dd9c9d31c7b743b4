#include "tool_names.hpp"

namespace mcpd::gemini {

std::string models_list_beside(std::string_view tool) {
  constexpr std::string_view ns = "gemini";
  if (!tool.starts_with(ns) || tool.size() <= ns.size()) return "gemini.models_list";
  const std::string_view separator =
      tool.substr(ns.size()).starts_with("__") ? "__" : tool.substr(ns.size(), 1);
  return std::string(ns) + std::string(separator) + "models_list";
}

}  // namespace mcpd::gemini
