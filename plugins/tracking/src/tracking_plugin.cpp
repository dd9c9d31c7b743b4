#include "tracking_plugin.hpp"

#include <array>
#include <utility>

#include "recording_input.hpp"
#include "tool_definitions.hpp"

namespace mcpd::tracking {
namespace {

// Events and /flags go to the ingest host with the project key; everything else is the private API.
constexpr std::array ingestion_settings{posthog_setting::ingest_host, posthog_setting::project_api_key};
constexpr std::array private_api_settings{posthog_setting::api_host, posthog_setting::personal_api_key};
// Local flag evaluation fetches definitions with both keys.
constexpr std::array local_flag_settings{posthog_setting::ingest_host, posthog_setting::project_api_key,
                                         posthog_setting::personal_api_key};

bool asks_for_local_evaluation(const boost::json::object& arguments) {
  const auto* mode = arguments.if_contains("mode");
  return mode != nullptr && mode->is_string() && mode->get_string() == "local";
}

}  // namespace

void tracking_plugin::init(const boost::json::object& config, sdk::registry& reg) {
  instances_ = instance_settings::from_config(config);
  local_video_dirs_configured_ = has_local_video_dirs(config);
  for (const auto& problem : instances_.problems()) host().log(sdk::log_level::warning, problem);
  if (instances_.names().empty()) {
    host().log(sdk::log_level::info,
               "no PostHog instance configured; tracking tools will answer with the settings to provide");
  }

  const readiness_check ingestion = [this](std::string_view tool, const boost::json::object& arguments) {
    return instance_problem(tool, arguments, ingestion_settings);
  };
  const readiness_check private_api = [this](std::string_view tool, const boost::json::object& arguments) {
    return instance_problem(tool, arguments, private_api_settings);
  };
  const readiness_check recording = [this](std::string_view tool, const boost::json::object& arguments) {
    return recording_problem(tool, arguments);
  };
  const readiness_check flag_eval = [this](std::string_view tool, const boost::json::object& arguments) {
    return flag_eval_problem(tool, arguments);
  };

  add_pending_tool(reg, tool_definitions::capture(), ingestion, "M4");
  add_pending_tool(reg, tool_definitions::identify(), ingestion, "M4");
  add_pending_tool(reg, tool_definitions::pageview(), ingestion, "M4");
  add_pending_tool(reg, tool_definitions::capture_batch(), ingestion, "M4");
  add_pending_tool(reg, tool_definitions::sessions_list(), private_api, "M4");
  add_pending_tool(reg, tool_definitions::recordings_list(), private_api, "M4");
  add_pending_tool(reg, tool_definitions::recording_frames(), recording, "M5");
  add_pending_tool(reg, tool_definitions::ask_question_about_recording(), recording, "M6");
  add_pending_tool(reg, tool_definitions::funnels_run(), private_api, "M4");
  add_pending_tool(reg, tool_definitions::feature_flags_list(), private_api, "M4");
  add_pending_tool(reg, tool_definitions::feature_flag_eval(), flag_eval, "M4");
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

std::string tracking_plugin::instance_problem(std::string_view tool, const boost::json::object& arguments,
                                              std::span<const posthog_setting> needs) const {
  return instances_.resolve(tool, arguments, needs).problem;
}

std::string tracking_plugin::recording_problem(std::string_view tool,
                                               const boost::json::object& arguments) const {
  const recording_input_choice choice = choose_recording_input(tool, arguments, local_video_dirs_configured_);
  if (!choice.problem.empty()) return choice.problem;
  if (choice.input == recording_input::local_file) return {};
  return instance_problem(tool, arguments, private_api_settings);
}

std::string tracking_plugin::flag_eval_problem(std::string_view tool,
                                               const boost::json::object& arguments) const {
  if (asks_for_local_evaluation(arguments)) return instance_problem(tool, arguments, local_flag_settings);
  return instance_problem(tool, arguments, ingestion_settings);
}

}  // namespace mcpd::tracking

MCPD_PLUGIN(mcpd::tracking::tracking_plugin)
