// Every configured PostHog instance with its run-time client, and the lookup each tool starts with:
// "which instance did the call name, and does it have what this tool needs?"
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <boost/json.hpp>
#include <mcpd/sdk.hpp>

#include "../instance_settings.hpp"
#include "../plugin_options.hpp"
#include "posthog_client.hpp"

namespace mcpd::tracking {

// A tool call that cannot proceed because of its arguments or the configuration; what() is the message.
class tool_input_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class instance_registry {
 public:
  instance_registry() = default;
  instance_registry(instance_settings settings, plugin_options options, sdk::host host);

  // The client of the instance `arguments["instance"]` names ("default" when absent), which must have every
  // setting in `needs`. Throws tool_input_error naming the instance, the missing settings and how to set
  // them.
  const posthog_client& client_for(std::string_view tool, const boost::json::object& arguments,
                                   std::span<const posthog_setting> needs) const;

  const instance_settings& settings() const noexcept { return settings_; }
  const plugin_options& options() const noexcept { return options_; }

 private:
  instance_settings settings_;
  plugin_options options_;
  std::map<std::string, std::unique_ptr<posthog_client>, std::less<>> clients_;
};

// Settings groups the tools need.
inline constexpr posthog_setting ingestion_settings[] = {posthog_setting::ingest_host,
                                                         posthog_setting::project_api_key};
inline constexpr posthog_setting private_api_settings[] = {posthog_setting::api_host,
                                                           posthog_setting::personal_api_key};
inline constexpr posthog_setting local_flag_settings[] = {
    posthog_setting::ingest_host, posthog_setting::project_api_key, posthog_setting::personal_api_key};

}  // namespace mcpd::tracking
