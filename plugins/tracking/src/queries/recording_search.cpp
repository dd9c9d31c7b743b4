#include "recording_search.hpp"

#include "../posthog/instance_registry.hpp"

namespace mcpd::tracking {
namespace {

using boost::json::array;
using boost::json::object;

bool flag(const object& arguments, std::string_view key) {
  const auto* value = arguments.if_contains(key);
  return value != nullptr && value->is_bool() && value->get_bool();
}

object event_filter(std::string_view event, std::size_t order) {
  return object{{"id", event}, {"name", event}, {"type", "events"}, {"order", order}};
}

}  // namespace

recording_search recording_search::from_arguments(std::string_view tool, const object& arguments) {
  recording_search search;
  if (const auto* events = arguments.if_contains("events"); events != nullptr && events->is_array()) {
    for (const auto& event : events->get_array()) {
      if (!event.is_string() || event.get_string().empty()) {
        throw tool_input_error(std::string(tool) +
                               ": \"events\" must list event names, e.g. [\"signed_up\"]");
      }
      search.events.emplace_back(event.get_string());
    }
  }
  if (const auto* url = arguments.if_contains("visited_url"); url != nullptr && url->is_string()) {
    search.visited_url = std::string(url->get_string());
  }
  search.rage_clicks = flag(arguments, "rage_clicks");
  search.dead_clicks = flag(arguments, "dead_clicks");
  search.console_errors = flag(arguments, "console_errors");
  if (const auto* people = arguments.if_contains("person_properties");
      people != nullptr && people->is_object()) {
    for (const auto& [key, value] : people->get_object()) {
      if (!value.is_string() && !value.is_number() && !value.is_bool()) {
        throw tool_input_error(std::string(tool) + ": \"person_properties." + std::string(key) +
                               "\" must be a string, number or boolean to compare with");
      }
    }
    search.person_properties = people->get_object();
  }
  if (const auto* active = arguments.if_contains("min_active_seconds");
      active != nullptr && active->is_int64()) {
    search.min_active_seconds = active->get_int64();
  }
  return search;
}

bool recording_search::empty() const {
  return events.empty() && !visited_url && !rage_clicks && !dead_clicks && person_properties.empty() &&
         !console_errors && !min_active_seconds;
}

std::vector<std::pair<std::string, std::string>> recording_search::query_parameters() const {
  std::vector<std::pair<std::string, std::string>> parameters;
  array event_filters;
  for (const auto& event : events) event_filters.push_back(event_filter(event, event_filters.size()));
  if (visited_url) {
    object pageview = event_filter("$pageview", event_filters.size());
    pageview["properties"] = array{object{
        {"key", "$current_url"}, {"value", *visited_url}, {"operator", "icontains"}, {"type", "event"}}};
    event_filters.push_back(std::move(pageview));
  }
  if (rage_clicks) event_filters.push_back(event_filter("$rageclick", event_filters.size()));
  if (dead_clicks) event_filters.push_back(event_filter("$dead_click", event_filters.size()));
  if (!event_filters.empty()) parameters.emplace_back("events", boost::json::serialize(event_filters));

  if (!person_properties.empty()) {
    array filters;
    for (const auto& [key, value] : person_properties) {
      filters.push_back(object{{"key", key}, {"value", value}, {"operator", "exact"}, {"type", "person"}});
    }
    parameters.emplace_back("properties", boost::json::serialize(filters));
  }
  if (console_errors) {
    parameters.emplace_back(
        "console_log_filters",
        boost::json::serialize(array{object{
            {"key", "level"}, {"value", array{"error"}}, {"operator", "exact"}, {"type", "log_entry"}}}));
  }
  if (min_active_seconds) {
    parameters.emplace_back("having_predicates",
                            boost::json::serialize(array{object{{"key", "active_seconds"},
                                                                {"value", *min_active_seconds},
                                                                {"operator", "gte"},
                                                                {"type", "recording"}}}));
  }
  if (!parameters.empty()) parameters.emplace_back("operand", "AND");
  return parameters;
}

std::string recording_search::fingerprint() const {
  std::string text;
  for (const auto& [name, value] : query_parameters()) text += "\n" + name + "=" + value;
  return text;
}

}  // namespace mcpd::tracking
