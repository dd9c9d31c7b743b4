#include "tracking_plugin.hpp"

#include <utility>

#include "plugin_options.hpp"
#include "recording_input.hpp"
#include "tool_definitions.hpp"
#include "tools/tool_handlers.hpp"

namespace mcpd::tracking {

void tracking_plugin::init(const boost::json::object& config, sdk::registry& reg) {
  auto settings = instance_settings::from_config(config);
  std::vector<std::string> option_problems;
  const auto options = plugin_options::from_config(config, option_problems);
  for (const auto& problem : settings.problems()) host().log(sdk::log_level::warning, problem);
  for (const auto& problem : option_problems) host().log(sdk::log_level::warning, problem);
  if (settings.names().empty()) {
    host().log(sdk::log_level::info,
               "no PostHog instance configured; tracking tools will answer with the settings to provide");
  }
  instances_ = instance_registry(std::move(settings), options, host());
  recordings_ = recording_settings::from_config(config);
  videos_ = std::make_unique<video_cache>(recordings_.video_cache_dir.empty()
                                              ? video_cache::default_dir()
                                              : std::filesystem::path(recordings_.video_cache_dir),
                                          recordings_.video_cache_max_bytes);
  for (const auto& problem : recordings_.problems) host().log(sdk::log_level::warning, problem);
  for (const auto& problem : recordings_.redaction_problems) {
    host().log(sdk::log_level::error, problem + "; recording tools refuse to run until it is fixed");
  }

  add_tool(reg, tool_definitions::capture(), &tools::capture);
  add_tool(reg, tool_definitions::identify(), &tools::identify);
  add_tool(reg, tool_definitions::pageview(), &tools::pageview);
  add_tool(reg, tool_definitions::capture_batch(), &tools::capture_batch);
  add_tool(reg, tool_definitions::sessions_list(), &tools::sessions_list);
  add_tool(reg, tool_definitions::recordings_list(), &tools::recordings_list);
  add_tool(reg, tool_definitions::funnels_run(), &tools::funnels_run);
  add_tool(reg, tool_definitions::feature_flags_list(), &tools::feature_flags_list);
  add_tool(reg, tool_definitions::feature_flag_eval(), &tools::feature_flag_eval);

  const readiness_check recording = [this](std::string_view tool, const boost::json::object& arguments) {
    return recording_problem(tool, arguments);
  };
  reg.tool(tool_definitions::recording_frames(),
           [this](sdk::call_context& ctx, const boost::json::object& arguments) {
             return tools::recording_frames(recordings_, *videos_, instances_, ctx, arguments);
           });
  add_pending_tool(reg, tool_definitions::ask_question_about_recording(), recording, "M6");
}

void tracking_plugin::add_tool(sdk::registry& reg, sdk::tool_spec spec, handler run) {
  reg.tool(std::move(spec), [this, run](sdk::call_context& ctx, const boost::json::object& arguments) {
    return run(instances_, ctx, arguments);
  });
}

void tracking_plugin::add_pending_tool(sdk::registry& reg, sdk::tool_spec spec, readiness_check check,
                                       std::string_view issue) {
  std::string qualified = std::string(plugin_namespace) + "." + spec.name;
  std::string not_implemented =
      qualified + " is not implemented yet (planned in issue " + std::string(issue) + ")";
  reg.tool(std::move(spec), [check = std::move(check), qualified = std::move(qualified),
                             not_implemented = std::move(not_implemented)](
                                sdk::call_context&, const boost::json::object& arguments) {
    if (std::string problem = check(qualified, arguments); !problem.empty()) {
      return sdk::tool_result::error(problem);
    }
    return sdk::tool_result::error(not_implemented);
  });
}

std::string tracking_plugin::recording_problem(std::string_view tool,
                                               const boost::json::object& arguments) const {
  if (!recordings_.redaction_problems.empty()) {
    return std::string(tool) +
           " is disabled until the redaction rules are fixed: " + recordings_.redaction_problems.front();
  }
  const recording_input_choice choice =
      choose_recording_input(tool, arguments, !recordings_.local_video_dirs.empty());
  if (!choice.problem.empty()) return choice.problem;
  if (choice.input == recording_input::local_file) return {};
  return instances_.problem(tool, arguments, private_api_settings);
}

}  // namespace mcpd::tracking

MCPD_PLUGIN(mcpd::tracking::tracking_plugin)
