// tracking.funnels_run: a FunnelsQuery through POST /api/projects/{id}/query/.
#include <chrono>

#include "../queries/funnel_query.hpp"
#include "../util/timestamps.hpp"
#include "../util/tool_names.hpp"
#include "arguments.hpp"
#include "tool_handlers.hpp"

namespace mcpd::tracking::tools {
namespace {

constexpr tool_label tool{"funnels_run"};

std::string checked_bound(const boost::json::object& arguments, std::string_view key, std::string fallback) {
  auto text = arguments::optional_string(tool, arguments, key).value_or(std::move(fallback));
  const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  if (!parse_time_bound(text, now)) {
    throw tool_input_error(
        std::string(tool) + ": \"" + std::string(key) + "\" is \"" + text.substr(0, 64) +
        "\"; use an ISO-8601 date or date-time or an offset from now (-24h, -7d, -2w, -3m, -1y)");
  }
  return text;
}

funnel_request read_request(const boost::json::object& arguments) {
  funnel_request request;
  const auto* steps = arguments.if_contains("steps");
  if (steps == nullptr || !steps->is_array() || steps->get_array().size() < 2 ||
      steps->get_array().size() > 20) {
    throw tool_input_error(std::string(tool) +
                           ": \"steps\" must list 2 to 20 steps, each {\"event\": \"...\"}");
  }
  for (std::size_t i = 0; i < steps->get_array().size(); ++i) {
    const auto& item = steps->get_array()[i];
    const std::string where = std::string(tool) + ": \"steps[" + std::to_string(i) + "]";
    if (!item.is_object()) throw tool_input_error(where + "\" must be an object with \"event\"");
    const auto& step = item.get_object();
    funnel_step_input input;
    const auto* event = step.if_contains("event");
    if (event == nullptr || !event->is_string() || event->get_string().empty()) {
      throw tool_input_error(where + ".event\" must be a non-empty event name");
    }
    input.event = std::string(event->get_string());
    if (const auto* label = step.if_contains("label"); label != nullptr && label->is_string()) {
      input.label = std::string(label->get_string());
    }
    if (const auto* match = step.if_contains("match"); match != nullptr && !match->is_null()) {
      if (!match->is_object())
        throw tool_input_error(where + ".match\" must be an object of property: value");
      for (const auto& [key, value] : match->get_object()) {
        if (!value.is_string() && !value.is_number() && !value.is_bool()) {
          throw tool_input_error(where + ".match." + std::string(key) +
                                 "\" must be a string, number or boolean");
        }
      }
      input.match = match->get_object();
    }
    request.steps.push_back(std::move(input));
  }
  if (const auto* window = arguments::optional_object(tool, arguments, "window")) {
    request.window_interval = arguments::integer_or(tool, *window, "interval", 14, 1, 10000);
    request.window_unit = arguments::optional_string(tool, *window, "unit").value_or("day");
    static constexpr std::string_view units[] = {"minute", "hour", "day", "week", "month"};
    if (std::find(std::begin(units), std::end(units), request.window_unit) == std::end(units)) {
      throw tool_input_error(std::string(tool) +
                             ": \"window.unit\" must be minute, hour, day, week or month");
    }
  }
  request.since = checked_bound(arguments, "since", "-30d");
  if (arguments.contains("until")) request.until = checked_bound(arguments, "until", "");
  request.order = arguments::optional_string(tool, arguments, "order").value_or("ordered");
  if (request.order != "ordered" && request.order != "strict" && request.order != "unordered") {
    throw tool_input_error(std::string(tool) + ": \"order\" must be ordered, strict or unordered");
  }
  if (const auto* breakdown = arguments::optional_object(tool, arguments, "breakdown")) {
    request.breakdown_property = arguments::optional_string(tool, *breakdown, "property");
    if (!request.breakdown_property || request.breakdown_property->empty()) {
      throw tool_input_error(std::string(tool) + ": \"breakdown.property\" must name a property");
    }
    request.breakdown_type = arguments::optional_string(tool, *breakdown, "type").value_or("event");
    if (request.breakdown_type != "event" && request.breakdown_type != "person") {
      throw tool_input_error(std::string(tool) + ": \"breakdown.type\" must be event or person");
    }
  }
  request.filter_test_accounts =
      arguments::optional_bool(tool, arguments, "filter_test_accounts").value_or(false);
  return request;
}

}  // namespace

sdk::tool_result funnels_run(const instance_registry& registry, sdk::call_context& ctx,
                             const boost::json::object& arguments) {
  const auto& client = registry.client_for(tool, arguments, private_api_settings);
  const funnel_request request = read_request(arguments);
  const auto hooks = client.hooks(ctx);
  const auto path = client.project_path(tool, hooks).literal("/query").slash();
  const boost::json::object body{{"query", funnels_query(request)}, {"name", "mcpd tracking.funnels_run"}};
  const auto context = client.context(tool, posthog_key::personal, "query:read");
  const auto answer = client.private_request(context, "POST", path.str(), &body, hooks);
  if (!answer.is_object())
    throw upstream_error(std::string(tool) + ": PostHog's funnel answer is not a JSON object", 0);
  try {
    return sdk::tool_result::structured_with_text(funnel_result(request, answer.get_object()));
  } catch (const std::invalid_argument& bad) {
    throw upstream_error(
        std::string(tool) + ": PostHog's funnel answer has an unexpected shape (" + bad.what() + ")", 0);
  }
}

}  // namespace mcpd::tracking::tools
