// Remote flag evaluation: POST {ingest_host}/flags/?v=2 with the project key, answer read into per-flag
// results.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <mcpd/sdk/http/client.hpp>

#include "local_evaluator.hpp"

namespace mcpd::tracking {

class posthog_client;

struct remote_flag {
  std::string key;
  bool enabled = false;
  std::optional<std::string> variant;
  std::string reason;  // reason.code, e.g. condition_match
  std::optional<std::int64_t> condition_index;
  std::optional<boost::json::value> payload;
};

struct remote_answer {
  std::vector<remote_flag> flags;
  bool errors_while_computing = false;
  bool quota_limited = false;
  std::string request_id;
};

// The /flags request body; `flag_keys` empty means every flag.
boost::json::object flags_request_body(std::string_view project_api_key, const flag_evaluation_input& input,
                                       const std::vector<std::string>& flag_keys);

// Reads a /flags?v=2 answer. Throws std::invalid_argument when it has no "flags" object.
remote_answer read_flags_answer(const boost::json::value& answer);

// Asks PostHog; throws upstream_error with the mapped message when that fails.
remote_answer evaluate_remotely(const posthog_client& client, std::string_view tool,
                                const flag_evaluation_input& input, const std::vector<std::string>& flag_keys,
                                const sdk::http::call_hooks& hooks);

}  // namespace mcpd::tracking
