#include "gemini_plugin.hpp"

#include <string>
#include <utility>

#include "image_downscale.hpp"
#include "provider_error.hpp"
#include "tool_definitions.hpp"

namespace mcpd::gemini {
namespace {

bool names_a_model(const boost::json::object& arguments) {
  const auto* model = arguments.if_contains("model");
  return model != nullptr && model->is_string() && !model->get_string().empty();
}

}  // namespace

void gemini_plugin::init(const boost::json::object& config, sdk::registry& reg) {
  keep_libav_loaded();
  settings_ = provider_settings::from_config(config);
  if (settings_.readiness_problem("", false).empty()) {
    try {
      provider_ = make_provider(settings_);
      model_catalog::options options;
      options.configured_model = settings_.configured_model();
      options.chooses_automatically = settings_.can_choose_model_automatically();
      options.model_setting = settings_.model_setting();
      options.refresh_interval = settings_.model_refresh_interval;
      models_ = std::make_unique<model_catalog>(
          *provider_, std::move(options), [] { return std::chrono::steady_clock::now(); },
          [host = host()](sdk::log_level level, const std::string& line) { host.log(level, line); });
    } catch (const provider_error& e) {
      settings_.problems.emplace_back(e.what());
    }
  }
  for (const auto& problem : settings_.problems) host().log(sdk::log_level::warning, problem);

  add_tool(reg, tool_definitions::load(host(), "ask_about_images"), /*needs_model=*/true, &ask_about_images);
  add_tool(reg, tool_definitions::load(host(), "ask_about_video"), /*needs_model=*/true, &ask_about_video);
  add_tool(reg, tool_definitions::load(host(), "models_list"), /*needs_model=*/false, &models_list);
}

void gemini_plugin::add_tool(sdk::registry& reg, sdk::tool_spec spec, bool needs_model, handler run) {
  // The name the client calls it by, so "X cannot run" names the tool the agent sees.
  std::string qualified = host().published_name(plugin_namespace, spec.name);
  reg.tool(std::move(spec), [this, needs_model, run, qualified = std::move(qualified)](
                                sdk::call_context& ctx, const boost::json::object& arguments) {
    const bool needs_configured_model = needs_model && !names_a_model(arguments);
    if (std::string problem = settings_.readiness_problem(qualified, needs_configured_model);
        !problem.empty()) {
      return sdk::tool_result::error(problem);
    }
    if (!provider_ || !models_)
      return sdk::tool_result::error(qualified + " cannot run: the provider is not configured.");
    const tool_environment environment{settings_, *provider_, *models_, host()};
    return run(environment, ctx, arguments);
  });
}

}  // namespace mcpd::gemini

MCPD_PLUGIN(mcpd::gemini::gemini_plugin)
