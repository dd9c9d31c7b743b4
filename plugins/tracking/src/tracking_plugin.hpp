// The tracking plugin (namespace `tracking`): PostHog analytics for agents.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <mcpd/sdk.hpp>

#include "config_schema.hpp"
#include "instance_settings.hpp"
#include "posthog/instance_registry.hpp"
#include "recording_settings.hpp"
#include "video_cache.hpp"

namespace mcpd::tracking {

class tracking_plugin final : public sdk::plugin {
 public:
  static constexpr std::string_view plugin_namespace = "tracking";
  static constexpr std::string_view plugin_version = "0.2.0";
  static constexpr std::string_view description =
      "PostHog analytics for agents: events, sessions, recordings as images, funnels, feature flags";
  static constexpr std::string_view config_schema = config_schema_json;

  // Succeeds with any configuration, even none: a tool whose settings are missing explains itself.
  void init(const boost::json::object& config, sdk::registry& reg) override;

 private:
  using handler = sdk::tool_result (*)(const instance_registry&, sdk::call_context&,
                                       const boost::json::object&);
  // The settings a call will need of its PostHog instance; empty when it needs none (a local video).
  using instance_needs = std::span<const posthog_setting> (*)(const boost::json::object& arguments);

  // The name a client calls one of this plugin's tools by (tracking_capture under the default separator).
  std::string published(std::string_view tool) const;
  // Registers a tool that calls PostHog through `run`.
  void add_tool(sdk::registry& reg, sdk::tool_spec spec, instance_needs needs, handler run);
  // Runs `run` with the call's arguments, or with the instance the user chose when the call named none
  // and "default" cannot serve it (posthog/instance_choice.hpp); or answers with the question itself.
  template <typename Run>
  sdk::tool_result with_instance_choice(std::string_view tool, instance_needs needs, sdk::call_context& ctx,
                                        const boost::json::object& arguments, Run&& run) const;

  instance_registry instances_;
  recording_settings recordings_;
  std::unique_ptr<video_cache> videos_;
};

}  // namespace mcpd::tracking
