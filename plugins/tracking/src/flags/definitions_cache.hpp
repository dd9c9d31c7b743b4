// The flag definitions of one instance, fetched from /flags/definitions and kept for the refresh interval.
// Refreshes are conditional (If-None-Match with the last ETag), so an unchanged set costs a 304. When a
// refresh fails, the previous definitions keep serving (flags rarely change; failing every local
// evaluation because PostHog hiccuped would be worse).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <mcpd/sdk/http/client.hpp>

#include "flag_definitions.hpp"

namespace mcpd::tracking {

class flag_definitions_cache {
 public:
  using clock = std::chrono::steady_clock;
  // Performs GET /flags/definitions with the given ETag ("" for none).
  using fetch_function = std::function<sdk::http::outcome(std::string_view etag)>;

  struct current {
    std::shared_ptr<const flag_definitions> definitions;  // null when none could be fetched
    sdk::http::outcome failed_refresh;                    // set (not ok) when the last refresh failed
    bool refreshed = false;                               // a request was made for this call
    bool stale = false;                                   // serving old definitions after a failed refresh
  };

  // The definitions, refreshed first when older than `refresh_interval`. Throws std::invalid_argument when
  // PostHog's answer is not a definitions document.
  current get(const fetch_function& fetch, std::chrono::milliseconds refresh_interval);

 private:
  std::mutex mutex_;  // one refresh at a time
  std::shared_ptr<const flag_definitions> definitions_;
  std::string etag_;
  clock::time_point fetched_at_{};
};

}  // namespace mcpd::tracking
