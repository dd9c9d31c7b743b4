#include "tracking_plugin.hpp"

#include <utility>

#include "plugin_options.hpp"
#include "tool_definitions.hpp"
#include "tools/tool_handlers.hpp"
#include "video/libav_residency.hpp"

namespace mcpd::tracking {

void tracking_plugin::init(const boost::json::object& config, sdk::registry& reg) {
  video::keep_libav_loaded();
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

  reg.tool(tool_definitions::recording_frames(),
           [this](sdk::call_context& ctx, const boost::json::object& arguments) {
             return tools::recording_frames(recordings_, *videos_, instances_, ctx, arguments);
           });
  reg.tool(tool_definitions::ask_question_about_recording(),
           [this](sdk::call_context& ctx, const boost::json::object& arguments) {
             return tools::ask_question_about_recording(recordings_, *videos_, instances_, ctx, arguments);
           });
}

void tracking_plugin::add_tool(sdk::registry& reg, sdk::tool_spec spec, handler run) {
  reg.tool(std::move(spec), [this, run](sdk::call_context& ctx, const boost::json::object& arguments) {
    return run(instances_, ctx, arguments);
  });
}

}  // namespace mcpd::tracking

MCPD_PLUGIN(mcpd::tracking::tracking_plugin)
