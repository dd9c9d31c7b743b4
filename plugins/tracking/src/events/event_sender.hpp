// Sending events to POST {ingest_host}/batch/: split by size, each request retried by the HTTP client
// (same bytes, so the same uuids), 413 answered by halving the request, other refusals recorded per event.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <mcpd/sdk/http/client.hpp>

namespace mcpd::tracking {

class posthog_client;

struct failed_event {
  std::size_t index = 0;  // position in the events given
  std::string error;
};

struct send_report {
  std::size_t accepted = 0;  // events in requests PostHog answered 2xx
  int requests = 0;          // HTTP requests made, retries included
  std::vector<failed_event> failed;
  std::vector<std::string> quota_limited;  // from 200 answers, e.g. ["events"]
  // Why sending stopped before every event was tried (bad key, PostHog unreachable, rate limited); the
  // events not tried are in `failed` with this reason. Empty when every request was made.
  std::string stopped_because;
};

// Sends `events` in order. Throws upstream_error only when the call was cancelled.
send_report send_events(const posthog_client& client, std::string_view tool,
                        const std::vector<boost::json::object>& events, bool historical_migration,
                        const sdk::http::call_hooks& hooks);

}  // namespace mcpd::tracking
