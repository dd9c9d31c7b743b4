// The gemini plugin (namespace `gemini`): visual questions answered by Google Gemini or an
// OpenAI-compatible model.
#pragma once

#include <memory>
#include <string_view>

#include <mcpd/sdk.hpp>

#include "config_schema.hpp"
#include "model_catalog.hpp"
#include "provider_settings.hpp"
#include "tools/tool_handlers.hpp"
#include "vision_provider.hpp"

namespace mcpd::gemini {

class gemini_plugin final : public sdk::plugin {
 public:
  static constexpr std::string_view plugin_namespace = "gemini";
  static constexpr std::string_view plugin_version = "0.2.0";
  static constexpr std::string_view description =
      "Visual questions about images, answered by Google Gemini or an OpenAI-compatible model";
  static constexpr std::string_view config_schema = config_schema_json;

  // Succeeds with any configuration, even none: the tools explain which setting is missing.
  void init(const boost::json::object& config, sdk::registry& reg) override;

 private:
  using handler = sdk::tool_result (*)(const tool_environment&, sdk::call_context&,
                                       const boost::json::object&);

  // Registers a tool that first checks the configuration, so a missing key or URL is reported by name.
  void add_tool(sdk::registry& reg, sdk::tool_spec spec, bool needs_model, handler run);

  provider_settings settings_;
  std::unique_ptr<vision_provider> provider_;  // null while the configuration is unusable
  std::unique_ptr<model_catalog> models_;      // set with provider_
};

}  // namespace mcpd::gemini
