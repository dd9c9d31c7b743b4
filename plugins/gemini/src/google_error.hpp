// Google's error body ({"error": {"code", "status", "message", "details": [...]}}) read into what decides
// retrying and what the caller is told: google.rpc.RetryInfo's retryDelay, google.rpc.QuotaFailure's
// quota ids (a "...PerDay..." quota is not worth retrying today), google.rpc.ErrorInfo's reason
// (API_KEY_INVALID arrives as a 400, not a 401) and google.rpc.BadRequest's field violations (which request
// field a 400 INVALID_ARGUMENT refuses).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mcpd/sdk/http/client.hpp>

namespace mcpd::gemini {

struct google_error {
  int code = 0;
  std::string status;                  // "INVALID_ARGUMENT", "RESOURCE_EXHAUSTED", ...
  std::string message;                 // Gemini's own explanation (not redacted yet)
  std::string reason;                  // ErrorInfo.reason, e.g. "API_KEY_INVALID"; "" when absent
  std::vector<std::string> quota_ids;  // QuotaFailure.violations[].quotaId
  // BadRequest.fieldViolations[].field, e.g. "generation_config.temperature"
  std::vector<std::string> refused_fields;
  std::optional<std::chrono::milliseconds> retry_delay;  // RetryInfo.retryDelay

  // True when a violated quota is a daily one: waiting seconds will not help.
  bool daily_quota() const;
};

// nullopt when `body` is not Google's error shape. A top-level array (Gemini's OpenAI-compatible endpoint
// sometimes wraps the error in one) is read through its first element.
std::optional<google_error> parse_google_error(std::string_view body);

// A google.protobuf.Duration in its JSON form: "19s", "3.700s", "0.5s". nullopt for anything else.
std::optional<std::chrono::milliseconds> parse_protobuf_duration(std::string_view text);

// The retry decision for a Gemini error answer: a 429 for a daily quota is not retried; a 429 for another
// quota waits RetryInfo.retryDelay; anything else is left to the status (5xx retried, other 4xx not).
sdk::http::retry_advice gemini_retry_advice(const sdk::http::response& reply);

}  // namespace mcpd::gemini
