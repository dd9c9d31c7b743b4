// Tasks extension fixtures (io.modelcontextprotocol/tasks, SEP-2663): tools
// that may or must run as tasks for 2026-07-28 clients that declare the
// extension. The suite's tasks-* scenarios call them by name.
#include <chrono>
#include <sstream>
#include <thread>

#include "fixtures.hpp"

namespace conformance {

namespace {

json::object optional_task() {
  return json::object{{"taskSupport", "optional"}};
}
json::object required_task() {
  return json::object{{"taskSupport", "required"}};
}

json::object confirm_schema() {
  return sdk::parse_object(
      R"({"type":"object","properties":{"confirm":{"type":"boolean"}},"required":["confirm"]})");
}

bool confirmed(const sdk::call_context& context, std::string_view key) {
  auto answer = context.input_response(key);
  if (!answer || !answer->is_object()) return false;
  const auto* action = answer->as_object().if_contains("action");
  return action != nullptr && *action == "accept";
}

// Sleeps `seconds`, a tenth of a second at a time, giving up as soon as it is cancelled.
sdk::tool_result slow_compute(sdk::call_context& context, const json::object& arguments) {
  const double seconds = arguments.at("seconds").to_number<double>();
  const auto until =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  int step = 0;
  while (std::chrono::steady_clock::now() < until) {
    if (context.cancelled()) return sdk::tool_result::error("cancelled");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (++step % 10 == 0)
      context.progress(step / 10.0, seconds, "computed for " + std::to_string(step / 10) + " s");
  }
  std::string label = "unlabelled";
  if (const auto* l = arguments.if_contains("label"); l != nullptr && l->is_string()) label = l->as_string();
  std::ostringstream text;  // 1 s, 0.2 s: the shortest form, not JSON's 2E-1
  text << "slow_compute " << label << " done after " << seconds << " s";
  return sdk::tool_result{}.text(text.str());
}

}  // namespace

void register_task_tools(sdk::registry& registry) {
  registry.tool(
      {.name = "greet",
       .description = "Greets someone, at once (never a task).",
       .input_schema = sdk::parse_object(
           R"({"type":"object","properties":{"name":{"type":"string"}},"required":["name"]})")},
      [](sdk::call_context&, const json::object& arguments) {
        return sdk::tool_result{}.text("Hello, " + std::string(arguments.at("name").as_string()) + "!");
      });

  registry.tool(
      {.name = "slow_compute",
       .description = "Works for `seconds` seconds, then answers; runs as a task when the client allows.",
       .input_schema = sdk::parse_object(R"({"type":"object","properties":{
                   "seconds":{"type":"number","minimum":0,"maximum":600},"label":{"type":"string"}},
                   "required":["seconds"]})"),
       .execution = optional_task()},
      slow_compute);

  registry.tool({.name = "failing_job",
                 .description = "A task that fails as a tool (isError) after about a second.",
                 .input_schema = no_arguments_schema(),
                 .execution = required_task()},
                [](sdk::call_context&, const json::object&) {
                  std::this_thread::sleep_for(std::chrono::seconds(1));
                  return sdk::tool_result::error("failing_job failed, as it always does");
                });

  registry.tool({.name = "protocol_error_job",
                 .description = "A task whose handler fails outright (a protocol-level error).",
                 .input_schema = no_arguments_schema(),
                 .execution = optional_task()},
                [](sdk::call_context&, const json::object&) -> sdk::tool_result {
                  throw sdk::internal_error("protocol_error_job broke on purpose");
                });

  registry.tool(
      {.name = "confirm_delete",
       .description = "Asks the user to confirm before 'deleting' a file; runs as a task when it can.",
       .input_schema = sdk::parse_object(R"({"type":"object","properties":{"filename":{"type":"string"}}})"),
       .execution = optional_task()},
      [](sdk::call_context& context, const json::object& arguments) -> sdk::tool_result {
        std::string file = "(no file)";
        if (const auto* f = arguments.if_contains("filename"); f != nullptr && f->is_string())
          file = f->as_string();
        if (confirmed(context, "confirm")) return sdk::tool_result{}.text("deleted " + file);
        // Outside a task it can only ask a client that takes elicitation.
        if (!context.runs_as_task() && !context.client_supports("elicitation"))
          return sdk::tool_result::error(
              "confirm_delete asks the user first: declare elicitation, "
              "or the tasks extension");
        return sdk::input_required{}.elicit("confirm", "Delete " + file + "?", confirm_schema());
      });

  registry.tool({.name = "multi_input",
                 .description = "A task that asks two questions at once and finishes when both are answered.",
                 .input_schema = no_arguments_schema(),
                 .execution = optional_task()},
                [](sdk::call_context& context, const json::object&) -> sdk::tool_result {
                  if (confirmed(context, "first") && confirmed(context, "second"))
                    return sdk::tool_result{}.text("both answered");
                  return sdk::input_required{}
                      .elicit("first", "First question", confirm_schema())
                      .elicit("second", "Second question", confirm_schema());
                });

  // Asks first (a multi round-trip before any task exists), then becomes a task.
  registry.tool(
      {.name = "test_tool_with_task",
       .description = "Asks the user's name, then greets them from a task.",
       .input_schema = no_arguments_schema(),
       .execution = required_task(),
       .task_started_by_handler = true},
      [](sdk::call_context& context, const json::object&) -> sdk::tool_result {
        auto answer = context.input_response("user_name");
        const auto* content =
            answer && answer->is_object() ? answer->as_object().if_contains("content") : nullptr;
        if (content == nullptr || !content->is_object() || !content->as_object().contains("name"))
          return sdk::input_required{}.elicit(
              "user_name", "What is your name?",
              sdk::parse_object(
                  R"({"type":"object","properties":{"name":{"type":"string"}},"required":["name"]})"));
        const std::string name(content->as_object().at("name").as_string());
        context.continue_as_task();
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        return sdk::tool_result{}.text("Hello from a task, " + name + "!");
      });
}

}  // namespace conformance
