#include "instance_registry.hpp"

namespace mcpd::tracking {

instance_registry::instance_registry(instance_settings settings, plugin_options options, sdk::host host)
    : settings_(std::move(settings)), options_(options) {
  for (const auto& name : settings_.names()) {
    const posthog_setting none[1] = {posthog_setting::api_host};
    boost::json::object arguments{{"instance", name}};
    // resolve() with no real needs returns the instance unless its settings are malformed.
    const auto lookup = settings_.resolve("tracking", arguments, std::span<const posthog_setting>(none, 0));
    if (lookup) clients_.emplace(name, std::make_unique<posthog_client>(*lookup.instance, options_, host));
  }
}

const posthog_client& instance_registry::client_for(std::string_view tool,
                                                    const boost::json::object& arguments,
                                                    std::span<const posthog_setting> needs) const {
  const auto lookup = settings_.resolve(tool, arguments, needs);
  if (!lookup) throw tool_input_error(lookup.problem);
  const auto found = clients_.find(lookup.instance->name);
  if (found == clients_.end()) {
    throw tool_input_error(std::string(tool) + " cannot use PostHog instance \"" + lookup.instance->name +
                           "\": its settings could not be read; see the operator log.");
  }
  return *found->second;
}

}  // namespace mcpd::tracking
