#pragma once
// The subcommands of the mcpd executable. Each returns the process exit code.
#include <string>
#include <vector>

namespace mcpd::cli {
int command_serve(const std::vector<std::string>& args);
int command_call(const std::vector<std::string>& args);
int command_inspect(const std::vector<std::string>& args);
}  // namespace mcpd::cli
