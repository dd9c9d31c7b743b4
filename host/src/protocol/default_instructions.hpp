// The initialize result's "instructions" when the operator configured none (server.instructions): which
// plugins are loaded and what each is for, so a client can tell its model what this server offers.
#pragma once

#include <string>

#include "registry/registry_snapshot.hpp"

namespace mcpd::protocol {

std::string default_instructions(const registry::RegistrySnapshot& snapshot);

}  // namespace mcpd::protocol
