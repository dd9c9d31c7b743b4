// The gemini plugin (namespace `gemini`): visual questions answered by Google Gemini or an
// OpenAI-compatible model.
#pragma once

#include <string_view>

#include <mcpd/sdk.hpp>

#include "config_schema.hpp"
#include "provider_settings.hpp"

namespace mcpd::gemini {

class gemini_plugin final : public sdk::plugin {
 public:
  static constexpr std::string_view plugin_namespace = "gemini";
  static constexpr std::string_view plugin_version = "0.1.0";
  static constexpr std::string_view description =
      "Visual questions about images, answered by Google Gemini or an OpenAI-compatible model";
  static constexpr std::string_view config_schema = config_schema_json;

  // Succeeds with any configuration, even none: the tools explain which setting is missing.
  void init(const boost::json::object& config, sdk::registry& reg) override;

 private:
  // Registers a tool whose behaviour lands in issue M6. It checks the configuration first, so a missing
  // key is reported today exactly as it will be once the tool works.
  void add_pending_tool(sdk::registry& reg, sdk::tool_spec spec, bool needs_model);

  provider_settings settings_;
};

}  // namespace mcpd::gemini
