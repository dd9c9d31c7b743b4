#include "tracking_plugin.hpp"

#include <utility>

#include "plugin_options.hpp"
#include "posthog/instance_choice.hpp"
#include "tool_definitions.hpp"
#include "tools/prototype_arguments.hpp"
#include "tools/query_definition.hpp"
#include "tools/tool_handlers.hpp"
#include "util/tool_names.hpp"
#include "video/libav_residency.hpp"
#include "views/tracking_views.hpp"

namespace mcpd::tracking {
namespace {

std::span<const posthog_setting> ingestion(const boost::json::object&) {
  return ingestion_settings;
}

std::span<const posthog_setting> private_api(const boost::json::object&) {
  return private_api_settings;
}

// tracking.feature_flag_eval: mode "local" needs the personal key too.
std::span<const posthog_setting> flag_evaluation(const boost::json::object& arguments) {
  const auto* mode = arguments.if_contains("mode");
  const bool local = mode != nullptr && mode->is_string() && mode->get_string() == "local";
  return local ? std::span<const posthog_setting>(local_flag_settings)
               : std::span<const posthog_setting>(ingestion_settings);
}

// The recording tools reach PostHog only for a recording_id; a local video ("source") needs no instance.
std::span<const posthog_setting> recording(const boost::json::object& arguments) {
  const auto present = [&](std::string_view key) {
    const auto* value = arguments.if_contains(key);
    return value != nullptr && !value->is_null();
  };
  if (!present("recording_id") || present("source")) return {};
  return private_api_settings;
}

}  // namespace

template <typename Run>
sdk::tool_result tracking_plugin::with_instance_choice(std::string_view tool, instance_needs needs,
                                                       sdk::call_context& ctx,
                                                       const boost::json::object& arguments,
                                                       Run&& run) const {
  const auto wanted = needs(arguments);
  if (wanted.empty()) return run(arguments);
  auto choice = choose_instance(tool, instances_.settings(), wanted, ctx, arguments);
  if (choice.reply) return std::move(*choice.reply);
  if (!choice.chosen) return run(arguments);
  boost::json::object chosen = arguments;
  chosen["instance"] = *choice.chosen;
  return run(chosen);
}

void tracking_plugin::init(const boost::json::object& config, sdk::registry& reg) {
  video::keep_libav_loaded();
  publish_tool_names(host());
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

  const auto definitions = tool_definitions::files(host());
  const auto definition = [&](std::string_view name) { return tool_definitions::load(definitions, name); };
  add_tool(reg, definition("capture"), &ingestion, &tools::capture);
  add_tool(reg, definition("identify"), &ingestion, &tools::identify);
  add_tool(reg, definition("pageview"), &ingestion, &tools::pageview);
  add_tool(reg, definition("capture_batch"), &ingestion, &tools::capture_batch);
  add_tool(reg, definition("sessions_list"), &private_api, &tools::sessions_list);
  add_tool(reg, definition("recordings_list"), &private_api, &tools::recordings_list);
  add_tool(reg, definition("funnels_run"), &private_api, &tools::funnels_run);
  add_tool(reg, definition("feature_flags_list"), &private_api, &tools::feature_flags_list);
  add_tool(reg, definition("feature_flag_eval"), &flag_evaluation, &tools::feature_flag_eval);
  add_tool(reg, tool_definitions::with_query_limits(definition("query"), options.query), &private_api,
           &tools::query);
  views::add_views(reg);

  const auto frames = [this, name = published("recording_frames")](sdk::call_context& ctx,
                                                                   const boost::json::object& arguments) {
    return with_instance_choice(name, &recording, ctx, arguments, [&](const boost::json::object& args) {
      return tools::recording_frames(recordings_, *videos_, instances_, ctx, args);
    });
  };
  reg.tool(definition("recording_frames"), frames);
  reg.tool(views::view_frames_tool(definition("recording_frames")), frames);
  reg.tool(definition("ask_question_about_recording"),
           [this, name = published("ask_question_about_recording")](sdk::call_context& ctx,
                                                                    const boost::json::object& arguments) {
             return with_instance_choice(
                 name, &recording, ctx, arguments, [&](const boost::json::object& args) {
                   return tools::ask_question_about_recording(recordings_, *videos_, instances_, ctx, args);
                 });
           });
}

std::string tracking_plugin::published(std::string_view tool) const {
  return std::string(published_tool_name(tool));
}

void tracking_plugin::add_tool(sdk::registry& reg, sdk::tool_spec spec, instance_needs needs, handler run) {
  std::string name = published(spec.name);
  const std::string local_name = spec.name;
  reg.tool(std::move(spec), [this, needs, run, name = std::move(name), local_name](
                                sdk::call_context& ctx, const boost::json::object& arguments) {
    // The prototype's argument shapes become today's before anything reads them.
    const boost::json::object today = prototype_arguments::translated(local_name, arguments);
    return with_instance_choice(name, needs, ctx, today,
                                [&](const boost::json::object& args) { return run(instances_, ctx, args); });
  });
}

}  // namespace mcpd::tracking

MCPD_PLUGIN(mcpd::tracking::tracking_plugin)
