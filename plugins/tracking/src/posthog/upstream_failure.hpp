// Turning a failed PostHog request into a message that says what to do: which setting to check, which key
// scope to add, when to retry. Secrets are redacted from everything quoted back.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/json.hpp>
#include <mcpd/sdk/http/client.hpp>

namespace mcpd::tracking {

enum class posthog_key { project, personal };

// What the failed request was, so the message can be specific.
struct request_context {
  std::string tool;      // "tracking.sessions_list"
  std::string instance;  // "default"
  posthog_key key = posthog_key::personal;
  std::string scope;  // personal-key scope the endpoint needs, e.g. "query:read"; "" for project-key calls
  std::string not_found;  // what a 404 means here, e.g. "recording \"x\" does not exist in project 12"
  // What to do about a request PostHog rejects as invalid (HTTP 400), e.g. "correct the HogQL and call
  // again"; "" for the generic message. With it the message also gives PostHog's error code.
  std::string invalid_request_fix;
  std::chrono::milliseconds timeout{15000};
  const sdk::http::secret_list* secrets = nullptr;
};

// A PostHog request that did not succeed; what() is the message for the tool's caller.
class upstream_error : public std::runtime_error {
 public:
  upstream_error(std::string message, int status, bool cancelled = false)
      : std::runtime_error(std::move(message)), status_(status), cancelled_(cancelled) {}
  int status() const noexcept { return status_; }  // 0 when no HTTP answer arrived
  bool cancelled() const noexcept { return cancelled_; }

 private:
  int status_;
  bool cancelled_;
};

// The message for a request whose outcome is not a 2xx answer.
std::string describe_failure(const request_context& context, const sdk::http::outcome& outcome);

// describe_failure as an upstream_error.
[[noreturn]] void throw_failure(const request_context& context, const sdk::http::outcome& outcome);

// The human-readable part of a PostHog error body ("detail" of a DRF error, "error" or "message"), or the
// start of a non-JSON body; secrets redacted, at most 300 characters. "" for an empty body.
std::string error_detail(std::string_view body, const sdk::http::secret_list* secrets);

// Parses a 2xx body that must be JSON; throws upstream_error saying PostHog answered something else.
boost::json::value parse_json_body(const request_context& context, std::string_view body);

}  // namespace mcpd::tracking
