#include "prototype_arguments.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "../posthog/instance_registry.hpp"
#include "../util/tool_names.hpp"

namespace mcpd::tracking::prototype_arguments {
namespace {

using boost::json::object;

[[noreturn]] void collide(std::string_view tool, std::string_view today, std::string_view prototype) {
  throw tool_input_error(std::string(published_tool_name(tool)) + ": give \"" + std::string(today) +
                         "\" or \"" + std::string(prototype) +
                         "\" (the prototype's spelling of the same setting), not both");
}

// Moves `from` (old name) to `to` (today's name) unless the call already has `to`.
void rename(std::string_view tool, object& arguments, std::string_view from, std::string_view to) {
  const auto* value = arguments.if_contains(from);
  if (value == nullptr) return;
  if (arguments.contains(to)) collide(tool, to, from);
  arguments[to] = *value;
  arguments.erase(from);
}

// Refuses a member of the prototype's object `where` that the prototype never had: it would otherwise be
// dropped without a word.
void only(std::string_view tool, const object& given, std::string_view where,
          std::initializer_list<std::string_view> known) {
  for (const auto& [key, member] : given) {
    if (std::find(known.begin(), known.end(), std::string_view(key)) != known.end()) continue;
    std::string list;
    for (const auto name : known) list += (list.empty() ? "" : ", ") + std::string(name);
    throw tool_input_error(std::string(published_tool_name(tool)) + ": \"" + std::string(where) + "." +
                           std::string(key) + "\" is not a setting; " + std::string(where) + " takes " +
                           list);
  }
}

// Lifts every member of the prototype's list filter to the top level.
void lift_filter(std::string_view tool, object& arguments) {
  constexpr std::string_view nested = "filter";
  const auto* value = arguments.if_contains(nested);
  if (value == nullptr || !value->is_object()) return;
  const object inner = value->get_object();
  only(tool, inner, nested, {"distinct_id", "since", "until", "limit", "cursor"});
  arguments.erase(nested);
  for (const auto& [key, member] : inner) {
    if (arguments.contains(key)) collide(tool, key, std::string(nested) + "." + std::string(key));
    arguments[key] = member;
  }
}

// {minutes|hours|days} to {interval, unit}: one unit as given; several add up, in the largest unit that
// keeps the sum whole.
object funnel_window(std::string_view tool, const object& prototype) {
  constexpr std::array<std::pair<std::string_view, std::int64_t>, 3> units{
      {{"days", 1440}, {"hours", 60}, {"minutes", 1}}};
  std::int64_t minutes = 0;
  for (const auto& [key, value] : prototype) {
    std::int64_t factor = 0;
    for (const auto& [name, per] : units) {
      if (key == name) factor = per;
    }
    if (factor == 0 || !value.is_int64() || value.get_int64() < 1 || value.get_int64() > 10000) {
      throw tool_input_error(
          std::string(published_tool_name(tool)) + ": \"definition.window." + std::string(key) +
          "\" is not allowed; give minutes, hours or days as whole numbers from 1 to 10000");
    }
    minutes += value.get_int64() * factor;
  }
  for (const auto& [name, per] : units) {
    if (minutes % per == 0) {
      return object{{"interval", minutes / per}, {"unit", std::string(name.substr(0, name.size() - 1))}};
    }
  }
  return object{{"interval", minutes}, {"unit", "minute"}};
}

void translate_definition(std::string_view tool, object& arguments) {
  const auto* value = arguments.if_contains("definition");
  if (value == nullptr || !value->is_object()) return;
  const object definition = value->get_object();
  only(tool, definition, "definition", {"steps", "window"});
  arguments.erase("definition");
  if (const auto* steps = definition.if_contains("steps")) {
    if (arguments.contains("steps")) collide(tool, "steps", "definition.steps");
    arguments["steps"] = *steps;
  }
  if (const auto* window = definition.if_contains("window")) {
    if (!window->is_object() || window->get_object().empty()) {
      throw tool_input_error(std::string(published_tool_name(tool)) +
                             ": \"definition.window\" must be an object such as {\"hours\": 2}");
    }
    if (arguments.contains("window")) collide(tool, "window", "definition.window");
    arguments["window"] = funnel_window(tool, window->get_object());
  }
}

// context is either {person_properties, groups, group_properties} or the person properties themselves.
void translate_context(std::string_view tool, object& arguments) {
  const auto* value = arguments.if_contains("context");
  if (value == nullptr || !value->is_object()) return;
  const object context = value->get_object();
  arguments.erase("context");
  constexpr std::array<std::string_view, 3> parts{"person_properties", "groups", "group_properties"};
  bool structured = !context.empty();
  for (const auto& [key, member] : context) {
    bool known = false;
    for (const auto part : parts) known = known || key == part;
    structured = structured && known && member.is_object();
  }
  if (!structured) {
    if (arguments.contains("person_properties")) collide(tool, "person_properties", "context");
    arguments["person_properties"] = context;
    return;
  }
  for (const auto& [key, member] : context) {
    if (arguments.contains(key)) collide(tool, key, "context." + std::string(key));
    arguments[key] = member;
  }
}

}  // namespace

object translated(std::string_view tool, const object& arguments) {
  object today = arguments;
  if (tool == "capture" || tool == "pageview") {
    rename(tool, today, "timestamp_iso", "timestamp");
  } else if (tool == "identify") {
    rename(tool, today, "traits", "set");
  } else if (tool == "sessions_list" || tool == "recordings_list") {
    lift_filter(tool, today);
  } else if (tool == "funnels_run") {
    translate_definition(tool, today);
  } else if (tool == "feature_flag_eval") {
    translate_context(tool, today);
  }
  return today;
}

}  // namespace mcpd::tracking::prototype_arguments
