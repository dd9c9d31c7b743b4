#include "gemini_plugin.hpp"

#include <string>
#include <utility>

#include "tool_definitions.hpp"

namespace mcpd::gemini {
namespace {

bool names_a_model(const boost::json::object& arguments) {
  const auto* model = arguments.if_contains("model");
  return model != nullptr && model->is_string() && !model->get_string().empty();
}

}  // namespace

void gemini_plugin::init(const boost::json::object& config, sdk::registry& reg) {
  settings_ = provider_settings::from_config(config);
  for (const auto& problem : settings_.problems) host().log(sdk::log_level::warning, problem);

  add_pending_tool(reg, tool_definitions::ask_about_images(), /*needs_model=*/true);
  add_pending_tool(reg, tool_definitions::models_list(), /*needs_model=*/false);
}

void gemini_plugin::add_pending_tool(sdk::registry& reg, sdk::tool_spec spec, bool needs_model) {
  std::string qualified = std::string(plugin_namespace) + "." + spec.name;
  std::string not_implemented = qualified + " is not implemented yet (planned in issue M6)";
  reg.tool(std::move(spec), [this, needs_model, qualified = std::move(qualified),
                             not_implemented = std::move(not_implemented)](
                                sdk::call_context&, const boost::json::object& arguments) {
    const bool needs_configured_model = needs_model && !names_a_model(arguments);
    if (std::string problem = settings_.readiness_problem(qualified, needs_configured_model);
        !problem.empty()) {
      return sdk::tool_result::error(problem);
    }
    return sdk::tool_result::error(not_implemented);
  });
}

}  // namespace mcpd::gemini

MCPD_PLUGIN(mcpd::gemini::gemini_plugin)
