#include "tool_names.hpp"

#include <array>
#include <stdexcept>

#include "../tool_definitions.hpp"

namespace mcpd::tracking {
namespace {

constexpr std::size_t tool_count = std::size(tool_definitions::tool_names);

struct published_names {
  std::string separator = ".";
  std::array<std::string, tool_count> names;

  void fill() {
    for (std::size_t i = 0; i < tool_count; ++i) {
      names[i] = "tracking" + separator + std::string(tool_definitions::tool_names[i]);
    }
  }
};

// Written by init only, which the host runs before it lets any handler of this plugin start.
published_names& table() {
  static published_names names = [] {
    published_names dotted;
    dotted.fill();
    return dotted;
  }();
  return names;
}

}  // namespace

void publish_tool_names(const sdk::host& services) {
  auto& names = table();
  names.separator = std::string(services.tool_name_separator());
  names.fill();
}

std::string_view published_tool_name(std::string_view local_name) {
  const auto& names = table();
  for (std::size_t i = 0; i < tool_count; ++i) {
    if (tool_definitions::tool_names[i] == local_name) return names.names[i];
  }
  throw std::logic_error("tracking has no tool named \"" + std::string(local_name) + "\"");
}

std::string published_tool_name(std::string_view plugin_namespace, std::string_view local_name) {
  return std::string(plugin_namespace) + table().separator + std::string(local_name);
}

std::string shown_tool_name(std::string_view qualified_name) {
  const auto dot = qualified_name.find('.');
  if (dot == std::string_view::npos) return std::string(qualified_name);
  return published_tool_name(qualified_name.substr(0, dot), qualified_name.substr(dot + 1));
}

}  // namespace mcpd::tracking
