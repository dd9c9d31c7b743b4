// Plugin-wide settings of the PostHog client (plugin_config.tracking.retry, .capture, .feature_flags,
// .query): the same for every instance. Like instance settings, bad values never fail init: they fall back to
// the default and are reported in the operator log.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <mcpd/sdk/http/retry.hpp>

namespace mcpd::tracking {

// Bounds of the query tool (plugin_config.tracking.query).
struct query_limits {
  // The whole call, retries and waits included. PostHog stops an API query after about 10 s of execution;
  // the rest leaves room for its queue and one retry.
  std::chrono::milliseconds timeout{30000};
  std::int64_t max_rows = 1000;  // the largest `limit` a call may ask for
  std::int64_t default_rows() const noexcept { return max_rows < 100 ? max_rows : 100; }
};

struct plugin_options {
  sdk::http::retry_policy retry{4, std::chrono::milliseconds(1000), std::chrono::milliseconds(30000)};
  // PostHog's SDKs cap a batch request at 5 MiB and an event at 900 KiB (the server takes up to 20 MB per
  // request); staying under those keeps proxies in front of self-hosted instances happy too.
  std::size_t max_request_bytes = 5 * 1024 * 1024;
  std::size_t max_event_bytes = 900 * 1024;
  std::chrono::milliseconds definitions_refresh{30000};
  query_limits query;

  static plugin_options from_config(const boost::json::object& tracking_config,
                                    std::vector<std::string>& problems);
};

}  // namespace mcpd::tracking
