// report: a worked example of plugin ABI 1.2's two newest tools for long, interactive work.
//
//   report.build {"rows": 30, "format"?: "csv"|"markdown"}
//
// 1. When `format` is missing and the client can show a form, the handler asks for it with
//    sdk::input_required (an elicitation). The host turns that into what the client understands: an
//    input_required result and a retry for MCP 2026-07-28 clients, an elicitation/create request it sends
//    itself for older ones. Either way the handler is simply called again, with the answer in
//    context.input_response("format") and its own note in context.input_state().
// 2. Then the work itself, which is slow: the tool declares "taskSupport": "optional" and
//    task_started_by_handler, so once it knows what to do it calls context.continue_as_task(). A client
//    that declared the Tasks extension gets a task id at once and polls; the progress messages become the
//    task's statusMessage and tasks/cancel reaches context.cancelled(). Any other client just waits for
//    the answer, with progress notifications if it asked for them.
#include <mcpd/sdk.hpp>

#include <chrono>
#include <string>
#include <thread>

namespace {

namespace sdk = mcpd::sdk;
namespace json = boost::json;

json::object format_form() {
  return sdk::parse_object(R"({
    "type": "object",
    "properties": {"format": {"type": "string", "title": "Format", "enum": ["csv", "markdown"]}},
    "required": ["format"]
  })");
}

// The format the call names, or the one the user picked; "" when neither is known yet.
std::string chosen_format(const sdk::call_context& context, const json::object& arguments) {
  if (const auto* format = arguments.if_contains("format")) return std::string(format->as_string());
  const auto answer = context.input_response("format");
  if (!answer || answer->as_object().at("action") != "accept") return {};
  return std::string(answer->as_object().at("content").at("format").as_string());
}

sdk::tool_result build(sdk::call_context& context, const json::object& arguments) {
  const auto rows = arguments.at("rows").to_number<int>();
  std::string format = chosen_format(context, arguments);
  if (format.empty()) {
    if (context.input_response("format"))
      return sdk::tool_result::error("no format chosen: nothing to build");
    if (!context.client_supports("elicitation"))
      format = "csv";  // cannot ask: the default
    else
      return sdk::input_required{}
          .elicit("format", "Which format should the report have?", format_form())
          .state("asked for the format");
  }

  context.continue_as_task();  // false when the client cannot take a task: then it simply waits
  std::string report = format == "csv" ? "row,value\n" : "| row | value |\n|---|---|\n";
  for (int row = 1; row <= rows; ++row) {
    if (context.cancelled()) return sdk::tool_result::error("cancelled");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the slow part
    report += format == "csv" ? std::to_string(row) + "," + std::to_string(row * row) + "\n"
                              : "| " + std::to_string(row) + " | " + std::to_string(row * row) + " |\n";
    if (row % 10 == 0)
      context.progress(row, rows, "built " + std::to_string(row) + " of " + std::to_string(rows) + " rows");
  }
  return sdk::tool_result{}.text(report);
}

class report_plugin final : public sdk::plugin {
 public:
  static constexpr std::string_view plugin_namespace = "report";
  static constexpr std::string_view plugin_version = "1.0.0";
  static constexpr std::string_view description =
      "Builds a small report: asks for its format, runs as a task";

  void init(const json::object&, sdk::registry& registry) override {
    registry.tool(
        {.name = "build",
         .description = "Builds a report of `rows` rows in `format` (csv or markdown; asked for when "
                        "missing). Slow: runs as a task for clients that support tasks.",
         .input_schema = sdk::parse_object(R"({
                     "type": "object",
                     "properties": {
                       "rows": {"type": "integer", "minimum": 1, "maximum": 1000},
                       "format": {"type": "string", "enum": ["csv", "markdown"]}
                     },
                     "required": ["rows"],
                     "additionalProperties": false
                   })"),
         .execution = json::object{{"taskSupport", "optional"}},
         .task_started_by_handler = true},
        build);
  }
};

}  // namespace

MCPD_PLUGIN(report_plugin)
