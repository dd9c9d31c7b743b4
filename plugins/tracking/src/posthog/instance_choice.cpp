#include "instance_choice.hpp"

#include <algorithm>
#include <vector>

namespace mcpd::tracking {
namespace {

namespace json = boost::json;

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

bool names_an_instance(const json::object& arguments) {
  const auto* value = arguments.if_contains("instance");
  return value != nullptr && !value->is_null();
}

// The configured instances that could serve the tool, in name order.
std::vector<std::string> serving_instances(std::string_view tool, const instance_settings& settings,
                                           std::span<const posthog_setting> needs) {
  std::vector<std::string> names;
  for (const auto& name : settings.names()) {
    if (settings.resolve(tool, json::object{{"instance", name}}, needs)) names.push_back(name);
  }
  return names;
}

json::object choice_schema(const std::vector<std::string>& names) {
  json::array options;
  for (const auto& name : names) options.emplace_back(name);
  return json::object{
      {"type", "object"},
      {"properties",
       json::object{{"instance", json::object{{"type", "string"},
                                              {"title", "PostHog instance"},
                                              {"description", "One of plugin_config.tracking.instances"},
                                              {"enum", std::move(options)}}}}},
      {"required", json::array{"instance"}}};
}

std::string question(std::string_view tool, bool default_configured, const std::vector<std::string>& names) {
  std::string text(tool);
  text += " needs a PostHog instance and the call named none (";
  text += default_configured ? "the \"default\" instance cannot run it" : "no instance is named \"default\"";
  text += "). Which one should it use? It can use: " + joined(names) + ".";
  return text;
}

std::string not_chosen(std::string_view tool, std::string_view why, const std::vector<std::string>& names) {
  return std::string(tool) + ": no PostHog instance was chosen (" + std::string(why) +
         "). Pass \"instance\" as one of: " + joined(names) + ".";
}

}  // namespace

bool client_takes_forms(const sdk::call_context& ctx) {
  const auto* elicitation = ctx.client_capabilities().if_contains("elicitation");
  if (elicitation == nullptr || !elicitation->is_object()) return false;
  // {} is form mode (what clients before URL mode declare); otherwise form must be listed.
  const auto& modes = elicitation->get_object();
  return modes.empty() || modes.contains("form");
}

instance_choice choose_instance(std::string_view tool, const instance_settings& settings,
                                std::span<const posthog_setting> needs, const sdk::call_context& ctx,
                                const json::object& arguments) {
  if (names_an_instance(arguments) || settings.resolve(tool, arguments, needs)) return {};
  const auto names = serving_instances(tool, settings, needs);
  if (names.empty()) return {};  // nothing to offer: the tool explains what to configure

  if (const auto answer = ctx.input_response(instance_input_key); answer && answer->is_object()) {
    const auto& reply = answer->get_object();
    const auto* action = reply.if_contains("action");
    if (action == nullptr || !action->is_string() || action->get_string() != "accept") {
      const bool declined = action != nullptr && action->is_string() && action->get_string() == "decline";
      return {std::nullopt,
              sdk::tool_result::error(not_chosen(
                  tool, declined ? "the user declined the question" : "the question was dismissed", names))};
    }
    const auto* content = reply.if_contains("content");
    const auto* picked =
        content != nullptr && content->is_object() ? content->get_object().if_contains("instance") : nullptr;
    if (picked != nullptr && picked->is_string() &&
        std::find(names.begin(), names.end(), picked->get_string()) != names.end()) {
      return {std::string(picked->get_string()), std::nullopt};
    }
    return {std::nullopt, sdk::tool_result::error(
                              not_chosen(tool, "the answer named no instance that was offered", names))};
  }

  if (!client_takes_forms(ctx)) return {};
  const auto configured = settings.names();
  const bool default_configured =
      std::find(configured.begin(), configured.end(), default_instance_name) != configured.end();
  return {std::nullopt,
          sdk::tool_result(sdk::input_required{}.elicit(
              instance_input_key, question(tool, default_configured, names), choice_schema(names)))};
}

}  // namespace mcpd::tracking
