#pragma once
// The documents served beside the MCP endpoint: /healthz for probes and
// RFC 9728 protected-resource metadata for OAuth clients.
#include <string>
#include <vector>

#include "registry/registry_snapshot.hpp"

namespace mcpd::transport::http {

// {"status":"ok"|"draining","ready":bool,"transport":"http","sessions":N,
//  "plugins":[{"namespace":...,"version":...,"health":"ok"|"unhealthy","stuck_calls":N}],
//  "unhealthy_plugins":[namespace...]}
std::string health_document(const registry::RegistrySnapshot& snapshot, bool ready, std::size_t sessions);

// {"resource":..., "authorization_servers":[...], "bearer_methods_supported":["header"], "resource_name":...}
std::string protected_resource_document(const std::string& resource,
                                        const std::vector<std::string>& authorization_servers,
                                        const std::string& server_name);

}  // namespace mcpd::transport::http
