// One configured PostHog instance at run time: HTTP clients for its ingestion and private API hosts, the
// project id resolved once from @current, the client-side rate limiter of its personal key and the cache
// of its flag definitions. Shared by every tool call (thread-safe).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>
#include <mcpd/sdk.hpp>
#include <mcpd/sdk/http/client.hpp>

#include "../instance_settings.hpp"
#include "../plugin_options.hpp"
#include "upstream_failure.hpp"

namespace mcpd::tracking {

class flag_definitions_cache;

class posthog_client {
 public:
  posthog_client(const posthog_instance& settings, const plugin_options& options, sdk::host host);
  ~posthog_client();
  posthog_client(const posthog_client&) = delete;
  posthog_client& operator=(const posthog_client&) = delete;

  const posthog_instance& settings() const noexcept { return settings_; }
  const plugin_options& options() const noexcept { return options_; }

  // Hooks for one tool call: cancellation from the call, retry notices to the operator log.
  sdk::http::call_hooks hooks(const sdk::call_context& ctx) const;

  // A request_context for messages about this instance.
  request_context context(std::string_view tool, posthog_key key, std::string_view scope = {},
                          std::string not_found = {}) const;

  // POST {ingest_host}{path} with a JSON body (which carries the project key itself). Returns the outcome
  // as is: event sending decides per status (413 splitting, partial failure).
  sdk::http::outcome post_ingest(std::string_view target, std::string body,
                                 const sdk::http::call_hooks& hooks) const;

  // GET {ingest_host}/flags/definitions with both keys and If-None-Match; the outcome as is (200 or 304).
  sdk::http::outcome get_flag_definitions(std::string_view etag, const sdk::http::call_hooks& hooks) const;

  // A private-API request with the personal key, through the rate limiter. Throws upstream_error (mapped
  // message) unless the answer is 2xx JSON, which it returns parsed.
  boost::json::value private_request(const request_context& context, std::string_view method,
                                     std::string target, const boost::json::object* body,
                                     const sdk::http::call_hooks& hooks) const;

  // GET a private-API target with the personal key, through the rate limiter, answered as is: binary
  // bodies stay bytes and redirects are not followed (the caller decides where the key may go). With a
  // `sink`, a 2xx body streams into it instead of memory.
  sdk::http::outcome private_get_raw(std::string target, const sdk::http::call_hooks& hooks,
                                     sdk::http::body_sink* sink = nullptr) const;

  // GET an absolute http(s) URL (a presigned object-storage link) with no credentials at all: PostHog's
  // keys must never reach a third-party host. The URL's query (its signature) is kept out of messages.
  sdk::http::outcome fetch_without_credentials(std::string_view url, const sdk::http::call_hooks& hooks,
                                               sdk::http::body_sink* sink = nullptr) const;

  // The numeric project id: configured, or GET /api/projects/@current/ once and cached.
  std::int64_t project_id(std::string_view tool, const sdk::http::call_hooks& hooks) const;

  // "/api/projects/<id>" for this instance.
  sdk::http::path project_path(std::string_view tool, const sdk::http::call_hooks& hooks) const;

  flag_definitions_cache& flag_definitions() const { return *definitions_; }

  // A line in the operator log about this instance (never the client; never a secret: text is redacted).
  void log(sdk::log_level level, std::string_view message) const;

 private:
  posthog_instance settings_;
  plugin_options options_;
  sdk::host host_;
  sdk::http::secret_list secrets_;
  std::optional<sdk::http::client> ingest_;
  std::optional<sdk::http::client> api_;
  mutable sdk::http::rate_limiter personal_key_limiter_;
  mutable std::mutex project_mutex_;
  mutable std::optional<std::int64_t> project_id_;
  std::unique_ptr<flag_definitions_cache> definitions_;
};

}  // namespace mcpd::tracking
