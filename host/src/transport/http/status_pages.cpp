#include "transport/http/status_pages.hpp"

#include <boost/json.hpp>

#include "loader/plugin_library.hpp"

namespace mcpd::transport::http {
namespace json = boost::json;

std::string health_document(const registry::RegistrySnapshot& snapshot, bool ready, std::size_t sessions) {
  json::array plugins;
  for (const auto& plugin : snapshot.plugins())
    plugins.push_back(
        json::object{{"namespace", plugin->info().plugin_namespace}, {"version", plugin->info().version}});
  return json::serialize(json::object{{"status", ready ? "ok" : "draining"},
                                      {"ready", ready},
                                      {"transport", "http"},
                                      {"sessions", sessions},
                                      {"tools", snapshot.tools().size()},
                                      {"plugins", std::move(plugins)}});
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
