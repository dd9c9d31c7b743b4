#include "event_sender.hpp"

#include <algorithm>
#include <deque>

#include "../posthog/posthog_client.hpp"
#include "../util/timestamps.hpp"
#include "batch_plan.hpp"

namespace mcpd::tracking {
namespace {

std::string envelope_prefix(std::string_view api_key, bool historical_migration) {
  boost::json::object head{{"api_key", api_key},
                           {"historical_migration", historical_migration},
                           {"sent_at", format_iso8601(std::chrono::time_point_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now()))}};
  std::string text = boost::json::serialize(head);
  text.pop_back();  // reopen the object for "batch"
  text.append(",\"batch\":[");
  return text;
}

void add_quota_limits(send_report& report, std::string_view body) {
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object()) return;
  const auto* limited = parsed.get_object().if_contains("quota_limited");
  if (limited == nullptr || !limited->is_array()) return;
  for (const auto& item : limited->get_array()) {
    if (!item.is_string()) continue;
    std::string name(item.get_string());
    if (std::find(report.quota_limited.begin(), report.quota_limited.end(), name) ==
        report.quota_limited.end()) {
      report.quota_limited.push_back(std::move(name));
    }
  }
}

}  // namespace

send_report send_events(const posthog_client& client, std::string_view tool,
                        const std::vector<boost::json::object>& events, bool historical_migration,
                        const sdk::http::call_hooks& hooks) {
  send_report report;
  const auto& options = client.options();
  const auto context = client.context(tool, posthog_key::project);

  std::vector<std::string> serialized;
  serialized.reserve(events.size());
  std::vector<std::size_t> sizes;
  std::vector<std::size_t> sendable;  // indexes of events under the per-event cap
  for (std::size_t i = 0; i < events.size(); ++i) {
    serialized.push_back(boost::json::serialize(events[i]));
    if (serialized.back().size() > options.max_event_bytes) {
      report.failed.push_back(
          {i, std::string(tool) + ": the event is " + std::to_string(serialized.back().size()) +
                  " bytes of JSON; the limit is " + std::to_string(options.max_event_bytes) +
                  " (plugin_config.tracking.capture.max_event_bytes, PostHog's SDKs use 900 KiB)"});
    } else {
      sendable.push_back(i);
      sizes.push_back(serialized.back().size());
    }
  }

  const std::string prefix = envelope_prefix(client.settings().project_api_key, historical_migration);
  std::deque<event_range> pending;  // ranges over `sendable`
  for (const auto& range : plan_batches(sizes, prefix.size() + 2, options.max_request_bytes))
    pending.push_back(range);

  auto original_range_failed = [&](const event_range& range, const std::string& why) {
    for (std::size_t i = range.begin; i < range.end; ++i) report.failed.push_back({sendable[i], why});
  };

  while (!pending.empty()) {
    const event_range range = pending.front();
    pending.pop_front();
    std::string body = prefix;
    for (std::size_t i = range.begin; i < range.end; ++i) {
      if (i > range.begin) body.push_back(',');
      body.append(serialized[sendable[i]]);
    }
    body.append("]}");

    const auto outcome = client.post_ingest("/batch/", std::move(body), hooks);
    report.requests += outcome.attempts;
    if (outcome.failure == sdk::http::failure_kind::cancelled) throw_failure(context, outcome);
    if (outcome.ok()) {
      report.accepted += range.size();
      add_quota_limits(report, outcome.reply->body);
      continue;
    }
    if (outcome.reply && outcome.reply->status == 413) {
      if (range.size() > 1) {
        const auto halves = halve(range);
        pending.push_front(halves[1]);
        pending.push_front(halves[0]);
      } else {
        original_range_failed(range, describe_failure(context, outcome) + " The event alone is too large.");
      }
      continue;
    }
    // A refusal of this request's content (400 and the like): the next request may be fine.
    const int status = outcome.reply ? outcome.reply->status : 0;
    const bool content_refused =
        status >= 400 && status < 500 && status != 401 && status != 403 && status != 408 && status != 429;
    const std::string why = describe_failure(context, outcome);
    original_range_failed(range, why);
    if (content_refused) continue;
    // The key, the host or PostHog's availability is the problem: the other requests would fail the same way.
    report.stopped_because = why;
    for (const auto& rest : pending) original_range_failed(rest, "not sent: " + why);
    pending.clear();
  }
  std::sort(report.failed.begin(), report.failed.end(),
            [](const failed_event& a, const failed_event& b) { return a.index < b.index; });
  return report;
}

}  // namespace mcpd::tracking
