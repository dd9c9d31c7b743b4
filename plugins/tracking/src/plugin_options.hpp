// Plugin-wide settings of the PostHog client (plugin_config.tracking.retry, .capture, .feature_flags):
// the same for every instance. Like instance settings, bad values never fail init: they fall back to the
// default and are reported in the operator log.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <mcpd/sdk/http/retry.hpp>

namespace mcpd::tracking {

struct plugin_options {
  sdk::http::retry_policy retry{4, std::chrono::milliseconds(1000), std::chrono::milliseconds(30000)};
  // PostHog's SDKs cap a batch request at 5 MiB and an event at 900 KiB (the server takes up to 20 MB per
  // request); staying under those keeps proxies in front of self-hosted instances happy too.
  std::size_t max_request_bytes = 5 * 1024 * 1024;
  std::size_t max_event_bytes = 900 * 1024;
  std::chrono::milliseconds definitions_refresh{30000};

  static plugin_options from_config(const boost::json::object& tracking_config,
                                    std::vector<std::string>& problems);
};

}  // namespace mcpd::tracking
