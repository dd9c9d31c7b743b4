#include "transport/http/status_pages.hpp"

#include <boost/json.hpp>

#include "loader/plugin_library.hpp"

namespace mcpd::transport::http {
namespace json = boost::json;

std::string health_document(const registry::RegistrySnapshot& snapshot, bool ready, std::size_t sessions) {
  json::array plugins;
  json::array unhealthy;
  for (const auto& plugin : snapshot.plugins()) {
    const int stuck = plugin->health().stuck_calls();
    plugins.push_back(json::object{{"namespace", plugin->info().plugin_namespace},
                                   {"version", plugin->info().version},
                                   {"health", stuck == 0 ? "ok" : "unhealthy"},
                                   {"stuck_calls", stuck}});
    if (stuck > 0) unhealthy.emplace_back(plugin->info().plugin_namespace);
  }
  // Still 200 while serving: other plugins work, and restarting mcpd is the
  // operator's call (unhealthy_plugins says which), not a probe's.
  return json::serialize(json::object{{"status", ready ? "ok" : "draining"},
                                      {"ready", ready},
                                      {"transport", "http"},
                                      {"sessions", sessions},
                                      {"tools", snapshot.tools().size()},
                                      {"plugins", std::move(plugins)},
                                      {"unhealthy_plugins", std::move(unhealthy)}});
}

std::string protected_resource_document(const std::string& resource,
                                        const std::vector<std::string>& authorization_servers,
                                        const std::string& server_name) {
  json::array servers;
  for (const auto& s : authorization_servers) servers.emplace_back(s);
  return json::serialize(json::object{{"resource", resource},
                                      {"authorization_servers", std::move(servers)},
                                      {"bearer_methods_supported", json::array{"header"}},
                                      {"resource_name", server_name}});
}

}  // namespace mcpd::transport::http
