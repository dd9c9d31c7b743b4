// mcpd plugin probe FILE (hidden): the child side of the load probe
// (loader/load_probe.hpp). The host runs it on every new plugin file; a file
// that crashes the dynamic loader takes only this process down.
#include "cli/commands.hpp"
#include "cli/server_setup.hpp"
#include "loader/load_probe.hpp"

namespace mcpd::cli {

int command_plugin_probe(const std::vector<std::string>& args) {
  if (args.size() != 1) throw UsageError("plugin probe needs exactly one FILE.so");
  return loader::run_load_probe(args[0]);
}

}  // namespace mcpd::cli
