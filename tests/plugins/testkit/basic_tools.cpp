// Tools with simple, predictable answers: echoing, logging to the client,
// failing on purpose, and a schema strict enough to exercise every kind of
// argument validation the host performs before a handler runs.
#include <string>

#include "testkit.hpp"

namespace testkit {
namespace {

sdk::tool_result echo(sdk::call_context&, const json::object& arguments) {
  json::object structured{
      {"value", arguments.contains("value") ? arguments.at("value") : json::value(nullptr)}};
  const auto text = json::serialize(structured);
  return sdk::tool_result{}.structured(std::move(structured)).text(text);
}

// One message per level, lowest first, so a test can check that
// logging/setLevel filters exactly the ones below the threshold.
sdk::tool_result log(sdk::call_context& call, const json::object&) {
  constexpr std::pair<sdk::log_level, std::string_view> kLevels[] = {
      {sdk::log_level::debug, "debug"},
      {sdk::log_level::info, "info"},
      {sdk::log_level::warning, "warning"},
      {sdk::log_level::error, "error"},
  };
  for (const auto& [level, name] : kLevels) {
    call.log(level, json::object{{"message", "testkit log at " + std::string(name)}, {"level", name}},
             "testkit");
  }
  return sdk::tool_result{}.text("sent debug, info, warning and error messages");
}

sdk::tool_result fail(sdk::call_context&, const json::object&) {
  return sdk::tool_result::error("testkit.fail: failed on purpose");
}

sdk::tool_result strict(sdk::call_context&, const json::object& arguments) {
  return sdk::tool_result{}.structured(json::object{{"accepted", arguments}}).text("accepted");
}

json::object strict_schema() {
  json::object options_schema = closed_object_schema(
      {{"verbose", {{"type", "boolean"}}}, {"depth", {{"type", "integer"}, {"minimum", 0}, {"maximum", 5}}}},
      {"verbose"});
  return closed_object_schema(
      {{"name", {{"type", "string"}, {"minLength", 2}, {"maxLength", 20}}},
       {"mode", {{"type", "string"}, {"enum", {"fast", "thorough"}}}},
       {"count", {{"type", "integer"}, {"minimum", 1}, {"maximum", 10}}},
       {"ratio", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
       {"options", std::move(options_schema)},
       {"tags", {{"type", "array"}, {"items", {{"type", "string"}, {"minLength", 1}}}, {"maxItems", 3}}}},
      {"name", "mode", "count"});
}

}  // namespace

void register_basic_tools(sdk::registry& registry) {
  registry.tool({.name = "echo",
                 .title = "Echo",
                 .description = "Returns `value` (any JSON) as structuredContent {value} and as text.",
                 .input_schema = {{"type", "object"}, {"properties", {{"value", json::object{}}}}}},
                echo);
  registry.tool({.name = "log",
                 .title = "Log at every level",
                 .description = "Sends notifications/message at debug, info, warning and error.",
                 .input_schema = closed_object_schema({})},
                log);
  registry.tool({.name = "fail",
                 .title = "Always fails",
                 .description = "Returns a result with isError:true.",
                 .input_schema = closed_object_schema({})},
                fail);
  registry.tool({.name = "strict",
                 .title = "Strict schema",
                 .description = "Accepts only arguments matching a strict schema (required, enum, bounds, "
                                "lengths, a nested object, an array of strings, no extra keys).",
                 .input_schema = strict_schema()},
                strict);
}

}  // namespace testkit
