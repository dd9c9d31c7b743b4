#include "protocol/default_instructions.hpp"

namespace mcpd::protocol {

std::string default_instructions(const registry::RegistrySnapshot& snapshot) {
  std::string text =
      "mcpd hosts tools from plugins; each tool's name starts with its plugin's namespace. A tool that needs "
      "a setting the operator has not provided answers with an error naming that setting.";
  if (snapshot.plugins().empty()) return text + " No plugin is loaded.";
  text += " Loaded plugins:";
  const char* separator = " ";
  for (const auto& plugin : snapshot.plugins()) {
    const auto& info = plugin->info();
    text += separator + info.plugin_namespace;
    if (!info.description.empty()) text += " (" + info.description + ")";
    separator = "; ";
  }
  return text + ".";
}

}  // namespace mcpd::protocol
