#pragma once
// The subcommands of the mcpd executable. Each returns the process exit code.
#include <string>
#include <vector>

namespace mcpd::cli {
int command_serve(const std::vector<std::string>& args);
int command_call(const std::vector<std::string>& args);
int command_inspect(const std::vector<std::string>& args);
// mcpd plugin keygen|sign|verify (command_plugin_trust.cpp)
int command_plugin_keygen(const std::vector<std::string>& args);
int command_plugin_sign(const std::vector<std::string>& args);
int command_plugin_verify(const std::vector<std::string>& args);
// mcpd plugin list|reload (command_plugin_admin.cpp): through the admin endpoint
int command_plugin_list(const std::vector<std::string>& args);
int command_plugin_reload(const std::vector<std::string>& args);
// mcpd plugin probe FILE (hidden; command_plugin_probe.cpp): test-loads a file for the host
int command_plugin_probe(const std::vector<std::string>& args);
}  // namespace mcpd::cli
