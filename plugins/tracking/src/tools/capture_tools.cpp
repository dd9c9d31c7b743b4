// tracking.capture, tracking.identify, tracking.pageview and tracking.capture_batch: events to /batch/.
#include <chrono>
#include <functional>

#include "../events/event_builder.hpp"
#include "../events/event_sender.hpp"
#include "../util/tool_names.hpp"
#include "arguments.hpp"
#include "tool_handlers.hpp"

namespace mcpd::tracking::tools {
namespace {

using boost::json::object;

utc_millis now_millis() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

boost::json::array as_array(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

using event_factory = std::function<object(std::string_view tool, const object& arguments, utc_millis now)>;

// One event: accepted, or isError with PostHog's (mapped) answer.
sdk::tool_result send_one(std::string_view tool, const instance_registry& registry, sdk::call_context& ctx,
                          const object& arguments, const event_factory& make_event) {
  const auto& client = registry.client_for(tool, arguments, ingestion_settings);
  object event;
  try {
    event = make_event(tool, arguments, now_millis());
  } catch (const invalid_event& bad) {
    throw tool_input_error(bad.what());
  }
  const std::string uuid(event.at("uuid").get_string());
  const std::string name(event.at("event").get_string());
  const auto report = send_events(client, tool, {event}, false, client.hooks(ctx));
  if (report.accepted != 1) {
    throw upstream_error(report.failed.empty() ? std::string(tool) + ": PostHog did not accept the event"
                                               : report.failed.front().error,
                         0);
  }
  object result{{"ok", true}, {"accepted", 1}, {"uuid", uuid}, {"event", name}};
  if (!report.quota_limited.empty()) result["quota_limited"] = as_array(report.quota_limited);
  return sdk::tool_result::structured_with_text(std::move(result));
}

}  // namespace

sdk::tool_result capture(const instance_registry& registry, sdk::call_context& ctx, const object& arguments) {
  return send_one(published_tool_name("capture"), registry, ctx, arguments, capture_event);
}

sdk::tool_result identify(const instance_registry& registry, sdk::call_context& ctx,
                          const object& arguments) {
  return send_one(published_tool_name("identify"), registry, ctx, arguments, identify_event);
}

sdk::tool_result pageview(const instance_registry& registry, sdk::call_context& ctx,
                          const object& arguments) {
  return send_one(published_tool_name("pageview"), registry, ctx, arguments, pageview_event);
}

sdk::tool_result capture_batch(const instance_registry& registry, sdk::call_context& ctx,
                               const object& arguments) {
  constexpr tool_label tool{"capture_batch"};
  const auto& client = registry.client_for(tool, arguments, ingestion_settings);
  std::vector<object> events;
  try {
    events = batch_events(tool, arguments, now_millis());
  } catch (const invalid_event& bad) {
    throw tool_input_error(bad.what());
  }
  const bool historical = arguments::optional_bool(tool, arguments, "historical_migration").value_or(false);
  const auto report = send_events(client, tool, events, historical, client.hooks(ctx));

  if (report.accepted == 0) {
    std::string message =
        std::string(tool) + ": PostHog accepted none of the " + std::to_string(events.size()) + " events. ";
    message.append(!report.stopped_because.empty() ? report.stopped_because
                   : report.failed.empty()         ? std::string("No request succeeded.")
                                                   : "events[" + std::to_string(report.failed.front().index) +
                                                 "]: " + report.failed.front().error);
    throw upstream_error(message, 0);
  }
  boost::json::array uuids;
  for (const auto& event : events) uuids.push_back(event.at("uuid"));
  object result{{"ok", report.failed.empty() && report.accepted == events.size()},
                {"submitted", events.size()},
                {"accepted", report.accepted},
                {"requests", report.requests},
                {"uuids", std::move(uuids)}};
  if (!report.failed.empty()) {
    boost::json::array failed;
    for (const auto& failure : report.failed) {
      failed.push_back(object{
          {"index", failure.index}, {"uuid", events[failure.index].at("uuid")}, {"error", failure.error}});
    }
    result["failed"] = std::move(failed);
  }
  if (!report.quota_limited.empty()) result["quota_limited"] = as_array(report.quota_limited);
  return sdk::tool_result::structured_with_text(std::move(result));
}

}  // namespace mcpd::tracking::tools
