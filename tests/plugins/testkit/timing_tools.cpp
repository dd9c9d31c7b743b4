// Tools whose point is time: a handler that outlives other requests (and can be
// cancelled), and one that reports progress while it works.
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "testkit.hpp"

namespace testkit {
namespace {

constexpr auto kStep = std::chrono::milliseconds(10);

// The marker file lets a test observe from outside what the handler saw, even
// though the host (correctly) never answers a cancelled request.
void write_marker(const std::string& path, std::string_view state) {
  if (path.empty()) return;
  std::ofstream out(path, std::ios::trunc);
  out << state << '\n';
}

std::int64_t integer_argument(const json::object& arguments, std::string_view name, std::int64_t fallback) {
  const auto* value = arguments.if_contains(name);
  return value != nullptr ? value->to_number<std::int64_t>() : fallback;
}

sdk::tool_result slow(sdk::call_context& call, const json::object& arguments) {
  const auto total_ms = integer_argument(arguments, "ms", 0);
  std::string marker;
  if (const auto* path = arguments.if_contains("cancel_marker")) marker = std::string(path->as_string());

  write_marker(marker, "started");
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + std::chrono::milliseconds(total_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (call.cancelled()) {
      write_marker(marker, "cancelled");
      return sdk::tool_result::error("testkit.slow: cancelled");
    }
    std::this_thread::sleep_for(kStep);
  }
  write_marker(marker, "completed");
  return sdk::tool_result{}.text("slept " + std::to_string(total_ms) + " ms");
}

sdk::tool_result progress(sdk::call_context& call, const json::object& arguments) {
  const auto steps = integer_argument(arguments, "steps", 1);
  const auto delay = std::chrono::milliseconds(integer_argument(arguments, "delay_ms", 5));
  for (std::int64_t step = 1; step <= steps; ++step) {
    if (call.cancelled()) return sdk::tool_result::error("testkit.progress: cancelled");
    call.progress(static_cast<double>(step), static_cast<double>(steps),
                  "step " + std::to_string(step) + " of " + std::to_string(steps));
    std::this_thread::sleep_for(delay);
  }
  return sdk::tool_result{}.text("reported " + std::to_string(steps) + " steps");
}

// Asks whether to go on (sdk::input_required, key "go"), then works `steps` steps, reporting each.
sdk::tool_result ask_then_work(sdk::call_context& call, const json::object& arguments) {
  auto go = call.input_response("go");
  if (!go) {
    return sdk::input_required{}.elicit("go", "Carry on?",
                                        json::object{{"type", "object"},
                                                     {"properties", {{"go", {{"type", "boolean"}}}}},
                                                     {"required", json::array{"go"}}});
  }
  if (go->at("action") != "accept" || go->at("content").at("go") != true)
    return sdk::tool_result{}.text("stopped");
  progress(call, arguments);
  return sdk::tool_result{}.text("went on for " + std::to_string(integer_argument(arguments, "steps", 1)) +
                                 " steps");
}

}  // namespace

void register_timing_tools(sdk::registry& registry) {
  // The same handlers as tasks (for 2026-07-28 clients that declare the Tasks extension).
  registry.tool({.name = "slow_task",
                 .title = "Slow tool, as a task",
                 .description = "testkit.slow that runs as a task when the client allows.",
                 .input_schema =
                     closed_object_schema({{"ms", {{"type", "integer"}, {"minimum", 0}, {"maximum", 600000}}},
                                           {"cancel_marker", {{"type", "string"}}}},
                                          {"ms"}),
                 .execution = json::object{{"taskSupport", "optional"}}},
                slow);
  registry.tool({.name = "ask_then_work",
                 .title = "Ask, then work",
                 .description = "Asks whether to carry on (elicitation), then reports `steps` progress steps "
                                "`delay_ms` apart; must run as a task.",
                 .input_schema = closed_object_schema(
                     {{"steps", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}}},
                      {"delay_ms", {{"type", "integer"}, {"minimum", 0}, {"maximum", 10000}}}},
                     {"steps"}),
                 .execution = json::object{{"taskSupport", "required"}}},
                ask_then_work);
  registry.tool(
      {.name = "slow",
       .title = "Slow tool",
       .description = "Sleeps for `ms` milliseconds in 10 ms steps, stopping early when cancelled. If "
                      "`cancel_marker` names a file, writes started/cancelled/completed to it.",
       .input_schema = closed_object_schema(
           {{"ms", {{"type", "integer"}, {"minimum", 0}, {"maximum", 600000}}},
            {"cancel_marker",
             {{"type", "string"}, {"description", "file that records what the handler saw"}}}},
           {"ms"})},
      slow);
  registry.tool({.name = "progress",
                 .title = "Progress reporter",
                 .description = "Reports progress 1..steps (with total and a message), `delay_ms` apart.",
                 .input_schema = closed_object_schema(
                     {{"steps", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}}},
                      {"delay_ms", {{"type", "integer"}, {"minimum", 0}, {"maximum", 10000}}}},
                     {"steps"})},
                progress);
}

}  // namespace testkit
