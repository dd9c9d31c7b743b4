// Tools that talk to the client while they run: log messages, progress, and
// the SEP-1699 reconnection fixture. The pauses between notifications are
// deliberate: the suite checks that several notifications arrive during one
// call, not bundled with its result.
#include <chrono>
#include <string>
#include <thread>

#include "fixtures.hpp"

namespace conformance {

namespace {

constexpr auto step_pause = std::chrono::milliseconds(50);

sdk::tool_result log_three_times(sdk::call_context& context, const json::object&) {
  context.log(sdk::log_level::info, "Tool execution started", "conformance");
  std::this_thread::sleep_for(step_pause);
  context.log(sdk::log_level::info, "Tool processing data", "conformance");
  std::this_thread::sleep_for(step_pause);
  context.log(sdk::log_level::info, "Tool execution completed", "conformance");
  return sdk::tool_result{}.text("Tool with logging executed successfully");
}

sdk::tool_result progress_in_three_steps(sdk::call_context& context, const json::object&) {
  constexpr double total = 100;
  for (const double done : {0.0, 50.0, 100.0}) {
    if (context.cancelled()) {
      return sdk::tool_result::error("cancelled by the client");
    }
    context.progress(done, total, "Completed step " + std::to_string(static_cast<int>(done)) + " of 100");
    if (done < total) {
      std::this_thread::sleep_for(step_pause);
    }
  }
  const auto token = context.request_meta().if_contains("progressToken");
  return sdk::tool_result{}.text("Progress reported for token " +
                                 (token != nullptr ? json::serialize(*token) : std::string("(none)")));
}

// SEP-1699 (SSE polling): the server closes the call's event stream before
// the result is ready; the client reconnects with Last-Event-ID and gets the
// result on the resumed stream. A plugin cannot close its stream (the ABI has
// no such call), but mcpd closes every POST event stream after
// http.sse_close_after_ms, which the conformance run sets below this tool's
// duration. The log message first turns the response into an event stream
// (mcpd answers with plain JSON when the result is the first message).
constexpr auto reconnection_duration = std::chrono::milliseconds(1500);

sdk::tool_result reconnect(sdk::call_context& context, const json::object&) {
  context.log(sdk::log_level::info,
              "test_reconnection: the result follows in 1.5 s, possibly on a resumed stream", "conformance");
  const auto deadline = std::chrono::steady_clock::now() + reconnection_duration;
  while (std::chrono::steady_clock::now() < deadline) {
    if (context.cancelled()) {
      return sdk::tool_result::error("cancelled by the client");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return sdk::tool_result{}.text(
      "Reconnection test completed: this result was sent 1.5 s after the call began.");
}

}  // namespace

void register_notifying_tools(sdk::registry& registry) {
  registry.tool({.name = "test_tool_with_logging",
                 .description = "Sends three info log messages (notifications/message) 50 ms apart.",
                 .input_schema = no_arguments_schema()},
                log_three_times);
  // The 2026-07-28 suite's name for the same fixture: it checks that no log
  // message arrives when the request's _meta names no logLevel.
  registry.tool({.name = "test_logging_tool",
                 .description = "Sends three info log messages (notifications/message) 50 ms apart.",
                 .input_schema = no_arguments_schema()},
                log_three_times);
  registry.tool({.name = "test_tool_with_progress",
                 .description = "Reports progress 0, 50 and 100 of 100, 50 ms apart.",
                 .input_schema = no_arguments_schema()},
                progress_in_three_steps);
  registry.tool(
      {.name = "test_reconnection",
       .description =
           "Logs one message, then answers after 1.5 s: for SSE stream reconnection tests (SEP-1699).",
       .input_schema = no_arguments_schema()},
      reconnect);
}

}  // namespace conformance
