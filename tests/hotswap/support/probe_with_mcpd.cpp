// The in-process tests load plugins through the plugin manager, which
// test-loads every new file with `mcpd plugin probe` first: this test binary
// cannot run that subcommand, so the built mcpd does.
#include "loader/load_probe.hpp"

namespace {

const bool probe_executable_set = [] {
  mcpd::loader::set_probe_executable(MCPD_SWAP_MCPD_EXE);
  return true;
}();

}  // namespace
