// mcpd::sdk::http::client: one upstream HTTP(S) service, with per-request timeouts, retries (capped
// exponential backoff with jitter, Retry-After honoured), an optional client-side rate limit, cancellation,
// and secrets kept out of everything it reports.
//
//   http::client_options options;
//   options.timeout = std::chrono::seconds(15);
//   options.default_headers = {{"Authorization", "Bearer " + key}};
//   options.secrets.add(key);
//   http::client api("https://us.posthog.com", options);
//   http::request request;
//   request.target = http::target(http::path("/api/projects").segment(id), http::query{{"limit", "10"}});
//   http::call_hooks hooks;
//   hooks.cancelled = [&] { return ctx.cancelled(); };
//   http::outcome answer = api.send(request, hooks);
//   if (answer.ok()) use(answer.reply->body);
//
// Link the CMake target mcpd::sdk_http (cpp-httplib, OpenSSL for https).
#ifndef MCPD_SDK_HTTP_CLIENT_HPP
#define MCPD_SDK_HTTP_CLIENT_HPP

#include <mcpd/sdk/http/rate_limiter.hpp>
#include <mcpd/sdk/http/retry.hpp>
#include <mcpd/sdk/http/secrets.hpp>
#include <mcpd/sdk/http/url.hpp>

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace mcpd::sdk::http {

using header_list = std::vector<std::pair<std::string, std::string>>;

namespace detail {

inline bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

// httplib's names for its errors ("Connection", "Read") mean little in a message; say what happened.
inline std::string error_text(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
      return "connection refused or host unreachable";
    case httplib::Error::BindIPAddress:
      return "could not bind the local address";
    case httplib::Error::Read:
      return "the connection closed before a complete answer arrived";
    case httplib::Error::Write:
      return "the connection closed while sending the request";
    case httplib::Error::ExceedRedirectCount:
      return "too many redirects";
    case httplib::Error::SSLConnection:
      return "TLS handshake failed";
    case httplib::Error::SSLLoadingCerts:
      return "could not load the trusted CA certificates";
    case httplib::Error::SSLServerVerification:
      return "the server's TLS certificate is not trusted";
    case httplib::Error::Compression:
      return "the answer could not be decompressed";
    case httplib::Error::ConnectionTimeout:
      return "connection timed out";
    default:
      return httplib::to_string(error);
  }
}

inline double random_unit() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace detail

/// The value of the first header called `name` (case-insensitive), or "".
inline std::string_view find_header(const header_list& headers, std::string_view name) noexcept {
  for (const auto& [key, value] : headers) {
    if (detail::iequals(key, name)) return value;
  }
  return {};
}

struct client_options {
  /// Limit of each phase of one attempt: connecting, sending, and each wait for answer bytes.
  std::chrono::milliseconds timeout{15000};
  retry_policy retry;
  /// Longest wait the server may ask for (Retry-After, or a delay read from the body by
  /// call_hooks::advise_retry) that is still honoured; a longer one is reported instead of waited for.
  /// nullopt: retry.max_backoff. Some APIs ask for waits longer than any sensible backoff (a per-minute
  /// quota's "retry in 40 s") that are still worth waiting for.
  std::optional<std::chrono::milliseconds> max_server_delay;
  /// Largest answer body kept in memory (response::body, and the body of an error answer to a request
  /// with a sink). A larger answer is not read further: failure_kind::too_large, never retried. A 2xx body
  /// that goes to a request::sink is bounded by the sink, not by this.
  std::size_t max_body_bytes = std::size_t{64} << 20;
  /// Longest one attempt may take, from connecting to the last byte of the answer, however steadily an
  /// upstream trickles bytes (`timeout` bounds each wait on its own, so a server sending a byte every few
  /// seconds would otherwise hold the call forever). Reported as failure_kind::timeout.
  std::chrono::milliseconds max_attempt_time{std::chrono::minutes(10)};
  std::string user_agent = "mcpd-plugin";
  /// Sent with every request, e.g. {"Authorization", "Bearer ..."}. Add secret values to `secrets` too.
  header_list default_headers;
  secret_list secrets;
};

/// Where the body of a 2xx answer goes instead of response::body, chunk by chunk: for downloads too large
/// to hold in memory (response::body then stays empty; the body of any other answer is still read into
/// it). begin() runs when an attempt's 2xx headers arrive, so a retried download starts over; write()
/// returning false stops the download, reported as failure_kind::refused (the sink's owner knows why).
struct body_sink {
  std::function<void()> begin;
  std::function<bool(std::string_view chunk)> write;
};

struct request {
  std::string method = "GET";
  /// Path (and "?query") below the base URL, already encoded: build it with http::path and http::query.
  std::string target;
  std::string body;
  std::string content_type;  // e.g. "application/json"; only sent with a body
  header_list headers;       // in addition to client_options::default_headers
  /// Whether a request that may have reached the server is repeated after a network error. Keep true for
  /// reads and for writes the server deduplicates; false when a repeat could do the work twice.
  bool retry_network_errors = true;
  /// Taken before every attempt; nullptr for none.
  rate_limiter* limiter = nullptr;
  /// Receives a 2xx answer's body; nullptr: it is kept in response::body.
  body_sink* sink = nullptr;
};

struct response {
  int status = 0;
  std::string body;
  header_list headers;

  std::string_view header(std::string_view name) const noexcept { return find_header(headers, name); }
  bool ok() const noexcept { return status >= 200 && status <= 299; }
};

/// Why no usable answer arrived.
enum class failure_kind {
  none,                  // an HTTP answer arrived (possibly an error status): see outcome::reply
  connect,               // could not connect (DNS, refused, unreachable)
  timeout,               // connecting or waiting for the answer took longer than client_options::timeout
  network,               // the connection broke while sending or reading
  tls,                   // TLS handshake or certificate verification failed
  cancelled,             // the caller cancelled
  rate_limited_locally,  // the client-side rate limiter would have had to wait longer than max_backoff
  refused,               // request::sink refused a chunk of the body; the download stopped there
  too_large,             // the answer's body exceeded client_options::max_body_bytes; not read further
};

struct outcome {
  std::optional<response> reply;  // the last HTTP answer, when one arrived
  failure_kind failure = failure_kind::none;
  std::string failure_detail;  // what went wrong without an answer; secrets redacted
  int attempts = 0;            // requests actually sent
  /// When the server (429/503 Retry-After, or a delay from call_hooks::advise_retry) or the local rate
  /// limiter asked to wait before trying again, how long. Set when the request is not repeated any more
  /// (attempts used up, the wait longer than the retry policy allows, or not retryable at all), so the
  /// caller can report it.
  std::optional<std::chrono::milliseconds> retry_after;

  bool ok() const noexcept { return reply && reply->ok(); }
};

/// Per-call hooks; all optional.
struct call_hooks {
  /// Polled between attempts, in waits, and every 20 ms by a helper thread while a request is in flight
  /// (so it must be thread-safe, as sdk::call_context::cancelled is): a cancelled request is aborted at
  /// once instead of when its answer or the timeout arrives.
  std::function<bool()> cancelled;
  std::function<void(std::string_view)> on_retry;  // one redacted line per retry, for the operator log
  std::function<double()> jitter;                  // [0, 1); default: random
  /// Reads an error answer (not 2xx) before the client decides whether to repeat it; see retry_advice.
  std::function<retry_advice(const response&)> advise_retry;
  /// W3C trace context sent as the traceparent and tracestate headers of every attempt (when not
  /// empty and the request does not set them itself), so a trace follows the call upstream.
  std::string traceparent;
  std::string tracestate;
};

/// Waits `delay`, looking at hooks.cancelled every 50 ms: false as soon as the caller cancelled. For
/// waits of a caller's own between requests (polling a job), with the same promptness as the client's.
inline bool sleep_unless_cancelled(std::chrono::milliseconds delay, const call_hooks& hooks) {
  const auto until = std::chrono::steady_clock::now() + delay;
  while (std::chrono::steady_clock::now() < until) {
    if (hooks.cancelled && hooks.cancelled()) return false;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        until - std::chrono::steady_clock::now(), std::chrono::milliseconds(50)));
  }
  return !(hooks.cancelled && hooks.cancelled());
}

/// One base URL with its options. Cheap to keep; send() is thread-safe (each call uses its own
/// connection, so a slow call never holds up another).
class client {
 public:
  /// Throws std::invalid_argument, saying why, when `base_url` is not an http(s) URL with a host.
  client(std::string_view base_url, client_options options) : options_(std::move(options)) {
    std::string why;
    auto parsed = parse_base_url(base_url, &why);
    if (!parsed) throw std::invalid_argument("base URL " + why);
    base_ = std::move(*parsed);
  }

  /// scheme://host[:port] of the service, for messages (never contains credentials).
  const std::string& origin() const noexcept { return base_.origin; }
  const client_options& options() const noexcept { return options_; }

  outcome send(const request& req, const call_hooks& hooks = {}) const {
    outcome result;
    const auto is_cancelled = [&] { return hooks.cancelled && hooks.cancelled(); };
    const int max_attempts = std::max(1, options_.retry.max_attempts);
    for (int attempt = 1;; ++attempt) {
      if (is_cancelled()) return mark_cancelled(result);
      if (req.limiter != nullptr) {
        const auto slot = req.limiter->acquire(options_.retry.max_backoff, hooks.cancelled);
        if (!slot.acquired) {
          if (is_cancelled()) return mark_cancelled(result);
          result.failure = failure_kind::rate_limited_locally;
          result.failure_detail = "client-side limit of " + std::to_string(req.limiter->per_minute()) +
                                  " requests per minute reached";
          result.retry_after = slot.wait;
          return result;
        }
      }

      result.reply.reset();
      result.failure = failure_kind::none;
      result.failure_detail.clear();
      result.retry_after.reset();
      ++result.attempts;
      attempt_once(req, hooks, result);
      if (result.failure == failure_kind::cancelled || result.failure == failure_kind::refused ||
          result.failure == failure_kind::too_large)
        return result;

      retry_advice advice;
      if (result.reply && !result.reply->ok() && hooks.advise_retry)
        advice = hooks.advise_retry(*result.reply);
      bool retryable = result.reply ? is_retryable_status(result.reply->status)
                                    : req.retry_network_errors && result.failure != failure_kind::tls;
      if (advice.verdict == retry_advice::decision::retry) retryable = true;
      if (advice.verdict == retry_advice::decision::give_up) retryable = false;
      std::optional<std::chrono::milliseconds> asked = advice.delay;
      if (!asked && result.reply) {
        if (auto header = result.reply->header("Retry-After"); !header.empty())
          asked = parse_retry_after(header);
      }
      if (!retryable) {
        if (result.reply && !result.reply->ok()) result.retry_after = asked;  // e.g. a daily quota's delay
        return result;
      }
      if (asked && *asked > options_.max_server_delay.value_or(options_.retry.max_backoff)) {
        result.retry_after = asked;  // longer than we may wait: report it instead of sleeping
        return result;
      }
      if (attempt >= max_attempts) {
        result.retry_after = asked;
        return result;
      }
      auto delay =
          backoff_delay(options_.retry, attempt, hooks.jitter ? hooks.jitter() : detail::random_unit());
      if (asked) delay = std::max(delay, *asked);
      if (hooks.on_retry) {
        hooks.on_retry(options_.secrets.redact(
            req.method + " " + base_.origin + std::string(path_only(req.target)) + " " + describe(result) +
            "; retry " + std::to_string(attempt) + " of " + std::to_string(max_attempts - 1) + " in " +
            std::to_string(delay.count()) + " ms"));
      }
      if (!sleep_unless_cancelled(delay, hooks)) return mark_cancelled(result);
    }
  }

  /// "answered 503" or the failure detail, for log lines.
  static std::string describe(const outcome& result) {
    if (result.reply) return "answered " + std::to_string(result.reply->status);
    return result.failure_detail;
  }

  /// The target without its query string, which may carry a token.
  static std::string_view path_only(std::string_view target) noexcept {
    return target.substr(0, target.find('?'));
  }

 private:
  static outcome& mark_cancelled(outcome& result) {
    result.failure = failure_kind::cancelled;
    result.failure_detail = "cancelled";
    result.reply.reset();
    return result;
  }

  // connection.send(), with a watcher that shuts the connection down when the caller cancels or the
  // attempt overruns `deadline`: a model that thinks for a minute, or a server that never finishes its
  // answer, would otherwise hold the caller until the read timeout, or for ever when bytes keep trickling
  // in. httplib::Client::stop() is meant to be called from another thread for this. Sets `overran` when
  // the deadline stopped it.
  static httplib::Result send_abortable(httplib::Client& connection, const httplib::Request& message,
                                        const call_hooks& hooks,
                                        std::chrono::steady_clock::time_point deadline, bool& overran) {
    std::mutex mutex;
    std::condition_variable_any wake;
    std::atomic<bool> stopped_for_time{false};
    std::jthread watcher([&](std::stop_token stop) {
      std::unique_lock lock(mutex);
      while (!stop.stop_requested()) {
        // Repeated: the socket may not be open yet.
        if (hooks.cancelled && hooks.cancelled()) connection.stop();
        if (std::chrono::steady_clock::now() >= deadline) {
          stopped_for_time = true;
          connection.stop();
        }
        static_cast<void>(wake.wait_for(lock, stop, std::chrono::milliseconds(20), [] { return false; }));
      }
    });
    httplib::Result answer = connection.send(message);
    watcher.request_stop();  // wakes the watcher at once; the destructor joins it
    watcher.join();
    overran = stopped_for_time;
    return answer;
  }

  void attempt_once(const request& req, const call_hooks& hooks, outcome& result) const {
    httplib::Client connection(base_.origin);
    const auto timeout = options_.timeout;
    connection.set_connection_timeout(timeout);
    connection.set_read_timeout(timeout);
    connection.set_write_timeout(timeout);
    connection.set_keep_alive(false);
    connection.set_follow_location(false);  // never hand the Authorization header to another host
    connection.set_url_encode(false);       // targets are encoded by http::path / http::query already

    httplib::Request message;
    message.method = req.method;
    message.path = base_.path_prefix + req.target;
    message.set_header("User-Agent", options_.user_agent);
    for (const auto& [name, value] : options_.default_headers) message.set_header(name, value);
    for (const auto& [name, value] : req.headers) message.set_header(name, value);
    if (!hooks.traceparent.empty() && !message.has_header("traceparent")) {
      message.set_header("traceparent", hooks.traceparent);
      if (!hooks.tracestate.empty() && !message.has_header("tracestate"))
        message.set_header("tracestate", hooks.tracestate);
    }
    if (!req.body.empty() || req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
      message.body = req.body;
      if (!req.content_type.empty()) message.set_header("Content-Type", req.content_type);
    }
    message.progress = [&hooks](std::uint64_t, std::uint64_t) {
      return !(hooks.cancelled && hooks.cancelled());
    };
    // The body is read here, not by httplib, so that it is bounded while it arrives: with a sink a 2xx body
    // streams into it; every other body is kept, up to max_body_bytes.
    bool streaming = false;
    bool refused = false;
    bool too_large = false;
    std::string kept_body;
    message.response_handler = [&](const httplib::Response& head) {
      streaming = req.sink != nullptr && head.status >= 200 && head.status <= 299;
      if (streaming && req.sink->begin) req.sink->begin();
      return true;
    };
    message.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
      if (streaming) {
        refused = !req.sink->write(std::string_view(data, size));
        return !refused;
      }
      if (kept_body.size() + size > options_.max_body_bytes) {
        too_large = true;
        return false;
      }
      kept_body.append(data, size);
      return true;
    };

    const auto started = std::chrono::steady_clock::now();
    bool overran = false;
    httplib::Result answer =
        send_abortable(connection, message, hooks, started + options_.max_attempt_time, overran);
    const std::string where = req.method + " " + base_.origin + std::string(path_only(req.target));
    if (refused) {
      result.failure = failure_kind::refused;
      result.failure_detail = "the download was stopped by its receiver";
      return;
    }
    if (too_large) {
      result.failure = failure_kind::too_large;
      result.failure_detail = options_.secrets.redact(
          where + " answered with more than " + std::to_string(options_.max_body_bytes) +
          " bytes, more than this client reads into memory; the answer was not read further");
      return;
    }
    if (overran && !(hooks.cancelled && hooks.cancelled())) {
      result.failure = failure_kind::timeout;
      result.failure_detail = options_.secrets.redact(where + " did not finish its answer within " +
                                                      std::to_string(options_.max_attempt_time.count()) +
                                                      " ms (bytes kept arriving too slowly, or not at all)");
      return;
    }
    if (!answer && hooks.cancelled && hooks.cancelled()) {
      result.failure = failure_kind::cancelled;
      result.failure_detail = "cancelled";
      return;
    }
    if (answer) {
      response reply;
      reply.status = answer->status;
      reply.body = std::move(kept_body);
      for (const auto& [name, value] : answer->headers) reply.headers.emplace_back(name, value);
      result.reply = std::move(reply);
      return;
    }
    const auto error = answer.error();
    const auto elapsed = std::chrono::steady_clock::now() - started;
    switch (error) {
      case httplib::Error::Canceled:
        result.failure = failure_kind::cancelled;
        result.failure_detail = "cancelled";
        return;
      case httplib::Error::ConnectionTimeout:
        result.failure = failure_kind::timeout;
        result.failure_detail =
            "no connection to " + base_.origin + " within " + std::to_string(timeout.count()) + " ms";
        break;
      case httplib::Error::Connection:
      case httplib::Error::BindIPAddress:
        result.failure = failure_kind::connect;
        result.failure_detail =
            "could not connect to " + base_.origin + " (" + detail::error_text(error) + ")";
        break;
      case httplib::Error::SSLConnection:
      case httplib::Error::SSLLoadingCerts:
      case httplib::Error::SSLServerVerification:
        result.failure = failure_kind::tls;
        result.failure_detail = "TLS with " + base_.origin + " failed (" + detail::error_text(error) + ")";
        break;
      default:
        // A read that ran into the read timeout is reported as a read error; the clock tells them apart.
        if (elapsed + std::chrono::milliseconds(50) >= timeout) {
          result.failure = failure_kind::timeout;
          result.failure_detail = where + " got no answer within " + std::to_string(timeout.count()) + " ms";
        } else {
          result.failure = failure_kind::network;
          result.failure_detail = where + " failed (" + detail::error_text(error) + ")";
        }
        break;
    }
    result.failure_detail = options_.secrets.redact(result.failure_detail);
  }

  client_options options_;
  base_url base_;
};

}  // namespace mcpd::sdk::http

#endif  // MCPD_SDK_HTTP_CLIENT_HPP
