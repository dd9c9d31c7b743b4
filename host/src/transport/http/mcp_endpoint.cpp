#include "transport/http/mcp_endpoint.hpp"

#include "transport/http/bearer_auth.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <thread>
#include <vector>

#include "jsonrpc/message.hpp"
#include "log/logger.hpp"
#include "protocol/era.hpp"
#include "protocol/protocol_version.hpp"
#include "transport/http/current_connection.hpp"
#include "transport/http/http_reply.hpp"
#include "transport/http/modern_headers.hpp"
#include "transport/http/session_id.hpp"
#include "transport/http/sse_writer.hpp"

namespace mcpd::transport::http {
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

constexpr const char* kSessionHeader = "Mcp-Session-Id";
constexpr const char* kVersionHeader = "MCP-Protocol-Version";
// What a request without MCP-Protocol-Version is assumed to speak (the spec's rule).
constexpr std::string_view kVersionWithoutHeader = "2025-03-26";

// The HTTP status of a modern request's error response (reference:
// mcp-2026-07-28.md, section 3): the errors about the request itself are
// 4xx; a handler's errors (unknown tool, missing resource) are answered 200.
int modern_status(int error_code) {
  switch (error_code) {
    case jsonrpc::kMethodNotFound:
      return 404;
    case protocol::kHeaderMismatch:
    case protocol::kMissingClientCapability:
    case protocol::kUnsupportedProtocolVersion:
      return 400;
    default:
      return 200;
  }
}

std::string supported_versions() {
  std::string out;
  for (auto v : protocol::kSupportedVersions) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

void refuse_while_draining(httplib::Response& res) {
  res.set_header("Retry-After", "5");
  res.set_header("Connection", "close");
  reply_error(res, 503, kTransportError, "Service Unavailable: the server is shutting down");
}

}  // namespace

McpEndpoint::McpEndpoint(protocol::ServerContext& context, const HttpSettings& settings,
                         SessionTable& sessions, Metrics& metrics)
    : context_(context), settings_(settings), sessions_(sessions), metrics_(metrics) {}

HttpSession::Options McpEndpoint::session_options() const {
  return HttpSession::Options{settings_.sse_replay_events, settings_.max_calls_per_session};
}

std::shared_ptr<void> McpEndpoint::track_exchange() {
  {
    std::lock_guard lock(mutex_);
    ++exchanges_;
  }
  return std::shared_ptr<void>(nullptr, [this](void*) {
    {
      std::lock_guard lock(mutex_);
      --exchanges_;
    }
    quiet_.notify_all();
  });
}

bool McpEndpoint::check_protocol_version(const httplib::Request& req, httplib::Response& res,
                                         const json::value& id) const {
  if (!req.has_header(kVersionHeader)) return true;  // assumed kVersionWithoutHeader
  const std::string version = req.get_header_value(kVersionHeader);
  if (protocol::is_supported(version)) return true;
  reply_error(res, 400, kTransportError,
              "Bad Request: unsupported MCP-Protocol-Version " + quoted_header(version) +
                  " (supported: " + supported_versions() + ")",
              id);
  return false;
}

std::shared_ptr<HttpSession> McpEndpoint::existing_session(const httplib::Request& req,
                                                           httplib::Response& res, const json::value& id) {
  auto session = sessions_.find(req.get_header_value(kSessionHeader));
  if (!session)
    reply_error(res, 404, kTransportError,
                "Not Found: the session is unknown or has expired; start a new one by sending initialize "
                "without an Mcp-Session-Id header",
                id);
  return session;
}

void McpEndpoint::refuse_stateless(httplib::Response& res, std::string_view what) const {
  res.set_header("Allow", "POST, OPTIONS");
  reply_error(res, 405, kTransportError,
              "Method Not Allowed: " + std::string(what) +
                  " is not offered because this server is stateless (http.stateless): there are no sessions "
                  "and no server-to-client stream; send every message as a POST");
}

void McpEndpoint::refuse_method(const httplib::Request& req, httplib::Response& res) {
  res.set_header("Allow", settings_.stateless ? "POST, OPTIONS" : "GET, POST, DELETE, OPTIONS");
  reply_error(res, 405, kTransportError,
              "Method Not Allowed: " + req.method +
                  " is not used by MCP; POST messages, GET the event stream, "
                  "DELETE the session");
}

bool McpEndpoint::admit_post(const httplib::Request& req, httplib::Response& res) const {
  if (!is_json_content_type(req.get_header_value("Content-Type"))) {
    reply_error(
        res, 415, kTransportError,
        "Unsupported Media Type: POST one JSON-RPC message with Content-Type: application/json (got " +
            quoted_header(req.get_header_value("Content-Type")) + ")");
    return false;
  }
  const Acceptable accept = parse_accept(req.get_header_value("Accept"));
  if (!accept.json && !accept.sse) {
    reply_error(
        res, 406, kTransportError,
        "Not Acceptable: the Accept header must allow application/json and/or text/event-stream (got " +
            quoted_header(req.get_header_value("Accept")) + ")");
    return false;
  }
  return true;
}

void McpEndpoint::post(const httplib::Request& req, const std::string& body, httplib::Response& res) {
  const Acceptable accept = parse_accept(req.get_header_value("Accept"));
  auto parsed = jsonrpc::parse_line(body);
  if (parsed.too_deep) context_.invoker.observer.breached("json_depth");
  if (parsed.batch) {
    const bool modern = std::any_of(parsed.batch->begin(), parsed.batch->end(),
                                    [](const json::value& m) { return protocol::has_modern_claim(m); });
    return reply_error(
        res, 400, jsonrpc::kInvalidRequest,
        modern ? "Invalid Request: a JSON-RPC batch may not carry MCP 2026-07-28 requests; POST "
                 "each one on its own"
               : "Invalid Request: JSON-RPC batches are not accepted over Streamable HTTP; POST one "
                 "message per request");
  }
  Message message;
  const json::object* params = nullptr;
  if (auto* request = std::get_if<jsonrpc::Request>(&parsed.message)) {
    message.key = jsonrpc::id_key(request->id);
    message.id = request->id;
    message.method = request->method;
    params = &request->params;
  } else if (auto* note = std::get_if<jsonrpc::Notification>(&parsed.message)) {
    message.method = note->method;
    params = &note->params;
  } else if (auto* invalid = std::get_if<jsonrpc::Invalid>(&parsed.message)) {
    // Without an id nothing can carry the error but this HTTP response.
    if (invalid->id.is_null()) return reply_error(res, 400, invalid->code, invalid->message);
    message.key = jsonrpc::id_key(invalid->id);
    message.id = invalid->id;
  }
  message.modern = params != nullptr && protocol::has_modern_claim(*params);
  // While draining, answers and notifications for running calls still get in.
  if (draining_ && message.key) return refuse_while_draining(res);
  if (message.modern) return post_modern(req, std::move(parsed), res, message, accept);
  if (refused_unclaimed(req, message, res)) return;
  if (settings_.stateless) return post_stateless(req, std::move(parsed), res, message, accept);

  std::shared_ptr<HttpSession> session;
  bool new_session = false;
  if (!req.has_header(kSessionHeader)) {
    if (message.method != "initialize")
      return reply_error(res, 400, kTransportError,
                         "Bad Request: the Mcp-Session-Id header is required; start a session by sending "
                         "initialize without it (or send a 2026-07-28 request, which needs no session)",
                         message.id);
    session = HttpSession::create(context_, new_session_id(settings_.session_id_prefix), session_options());
    session->protocol().set_principal(principal_of(req.get_header_value("Authorization")));
    const auto inserted = sessions_.insert(session, req.remote_addr);
    for (std::size_t i = 0; i < inserted.evicted; ++i) metrics_.count_session_eviction();
    if (inserted.refusal != SessionTable::Refusal::none) {
      session->close(0ms);
      res.set_header("Retry-After", "10");
      const bool per_client = inserted.refusal == SessionTable::Refusal::client_full;
      metrics_.count_refusal(per_client ? "sessions_per_client" : "sessions");
      return reply_error(
          res, 503, kTransportError,
          per_client ? "Service Unavailable: your address already holds " +
                           std::to_string(settings_.max_sessions_per_client) +
                           " sessions, all busy (http.max_sessions_per_client); end unused sessions with "
                           "DELETE or try again later"
                     : "Service Unavailable: the server holds its maximum of " +
                           std::to_string(settings_.max_sessions) +
                           " sessions, all busy (http.max_sessions); end unused sessions with DELETE or try "
                           "again later",
          message.id);
    }
    new_session = true;
  } else {
    session = existing_session(req, res, message.id);
    if (!session || !check_protocol_version(req, res, message.id)) return;
    session->touch();
  }
  if (!message.key) {
    session->deliver(std::move(parsed));
    res.status = 202;
    return;
  }
  exchange(session, std::move(parsed), res, message, accept, new_session, {});
}

bool McpEndpoint::refused_unclaimed(const httplib::Request& req, const Message& message,
                                    httplib::Response& res) const {
  if (!req.has_header(kVersionHeader)) return false;
  auto version = header_value(req.get_header_value(kVersionHeader));
  if (!version || !protocol::is_modern_version(*version)) return false;
  if (!message.key) {  // a notification: nothing to answer, and nothing a stateless server keeps
    res.status = 202;
    return true;
  }
  if (message.method == "initialize") {
    reply_error(
        res, 400, protocol::kHeaderMismatch,
        "Header mismatch: initialize belongs to the legacy revisions, but MCP-Protocol-Version says " +
            *version + "; send initialize without that header, or skip it and send 2026-07-28 requests",
        message.id);
    return true;
  }
  reply_error(res, 400, jsonrpc::kInvalidParams,
              "Invalid params: MCP-Protocol-Version says " + *version +
                  " but the body has no params._meta[\"" + std::string(protocol::kMetaProtocolVersion) +
                  "\"]; a 2026-07-28 request carries its version and \"" +
                  std::string(protocol::kMetaClientCapabilities) + "\" in params._meta",
              message.id);
  return true;
}

void McpEndpoint::post_modern(const httplib::Request& req, jsonrpc::ParsedLine parsed, httplib::Response& res,
                              const Message& message, Acceptable accept) {
  // Clients post no notifications in the modern era over HTTP (a closed
  // stream is the cancellation): accepted, and dropped.
  if (!message.key) {
    res.status = 202;
    return;
  }
  const auto& request = std::get<jsonrpc::Request>(parsed.message);
  const HeaderLookup headers = [&req](std::string_view name) -> std::optional<std::string> {
    const std::string key(name);
    if (!req.has_header(key)) return std::nullopt;
    return req.get_header_value(key);
  };
  const auto refuse = [&](int status, const protocol::EnvelopeError& e) {
    metrics_.count_refusal(e.code == protocol::kHeaderMismatch               ? "modern_header_mismatch"
                           : e.code == protocol::kUnsupportedProtocolVersion ? "modern_unsupported_version"
                           : e.code == jsonrpc::kMethodNotFound              ? "modern_method_not_found"
                                                                             : "modern_invalid_envelope");
    reply_error(res, status, e.code, e.message, message.id, e.data);
  };
  // The revision's order: envelope, header cross-check, version, method,
  // required headers, Mcp-Param-* (capabilities are the session's to check).
  protocol::ModernEnvelope envelope;
  if (auto e = protocol::read_modern_envelope(request.params, envelope)) return refuse(400, *e);
  if (auto e = mismatched_headers(headers, request.method, request.params, envelope.version))
    return refuse(400, *e);
  if (auto e = protocol::check_modern_version(envelope.version)) return refuse(400, *e);
  if (auto kind = protocol::modern_method(request.method); kind != protocol::ModernMethod::served)
    return refuse(404, protocol::method_not_found(request.method, kind));
  if (auto e = missing_headers(headers, request.method, request.params)) return refuse(400, *e);
  if (request.method == "tools/call")
    if (const auto* name = request.params.if_contains("name"); name != nullptr && name->is_string())
      if (const auto* tool = context_.snapshot()->find_tool(name->get_string()))
        if (const auto* schema = tool->listed.if_contains("inputSchema");
            schema != nullptr && schema->is_object()) {
          const auto* args = request.params.if_contains("arguments");
          if (auto e = mismatched_param_headers(headers, schema->get_object(), args ? *args : json::value()))
            return refuse(400, *e);
        }
  // Mcp-Session-Id is ignored: a modern request belongs to no session.
  auto session = HttpSession::create(context_, std::string(), session_options());
  session->protocol().set_principal(principal_of(req.get_header_value("Authorization")));
  exchange_alone(session, std::move(parsed), res, message, accept);
}

void McpEndpoint::post_stateless(const httplib::Request& req, jsonrpc::ParsedLine parsed,
                                 httplib::Response& res, const Message& message, Acceptable accept) {
  if (!check_protocol_version(req, res, message.id)) return;
  auto session = HttpSession::create(context_, std::string(), session_options());
  // Every message stands alone: it speaks the version its header names.
  if (message.method != "initialize") {
    const std::string header = req.get_header_value(kVersionHeader);
    session->protocol().initialize_implicitly(header.empty() ? kVersionWithoutHeader
                                                             : std::string_view(header));
  }
  if (!message.key) {
    session->deliver(std::move(parsed));
    session->close(1s);
    res.status = 202;
    return;
  }
  exchange_alone(session, std::move(parsed), res, message, accept);
}

void McpEndpoint::exchange_alone(const std::shared_ptr<HttpSession>& session, jsonrpc::ParsedLine parsed,
                                 httplib::Response& res, const Message& message, Acceptable accept) {
  {
    std::lock_guard lock(mutex_);
    stateless_.insert(session);
  }
  // The session ends with its one request; 1 s lets the worker that wrote
  // the response finish its bookkeeping.
  exchange(session, std::move(parsed), res, message, accept, false, [this, session] {
    session->close(1s);
    std::lock_guard lock(mutex_);
    stateless_.erase(session);
  });
}

void McpEndpoint::exchange(const std::shared_ptr<HttpSession>& session, jsonrpc::ParsedLine parsed,
                           httplib::Response& res, const Message& message, Acceptable accept,
                           bool new_session, std::function<void()> on_done) {
  // Runs on_done when the exchange is over: now for a JSON answer, at the end
  // of the response for a stream.
  std::shared_ptr<void> done(nullptr, [on_done = std::move(on_done)](void*) {
    if (on_done) on_done();
  });
  auto tracked = track_exchange();
  const bool counted = message.method != "ping" && message.method != "initialize";
  auto opened = session->open_request(*message.key, counted, !accept.sse);
  switch (opened.status) {
    case HttpSession::OpenStatus::opened:
      break;
    case HttpSession::OpenStatus::id_in_use:
      res.status = 200;
      res.set_content(json::serialize(jsonrpc::make_error(
                          message.id, jsonrpc::kInvalidRequest,
                          "Invalid Request: a request with this id is still running; ids must be unique")),
                      "application/json");
      return;
    case HttpSession::OpenStatus::too_many_calls:
      metrics_.count_refusal("calls_per_session");
      res.set_header("Retry-After", "1");
      return reply_error(res, 429, kTransportError,
                         "Too Many Requests: this session already runs " +
                             std::to_string(settings_.max_calls_per_session) +
                             " requests (http.max_calls_per_session); retry once one has finished",
                         message.id);
    case HttpSession::OpenStatus::closed:
      return reply_error(res, 404, kTransportError, "Not Found: the session has ended; start a new one",
                         message.id);
  }
  const auto stream = opened.stream;
  session->deliver(std::move(parsed));

  // JSON or SSE is decided by the first message the request produces: if it
  // is the response itself, one JSON body says everything.
  EventStream::Batch first;
  std::optional<Clock::time_point> gave_up_at;
  do {
    first = stream->next(0, 0, Clock::now() + 1s);
    if (!first.events.empty() || first.ended || first.superseded) break;
    // A client that hung up cannot read the answer: cancel the call, as its
    // notifications/cancelled would, and free this thread soon after even
    // if the call ignores the cancellation.
    if (!gave_up_at && !client_connected()) {
      gave_up_at = Clock::now();
      log::info("client disconnected during a call; cancelling it",
                {{"session", loggable_session_id(session->id())}, {"method", message.method}});
      metrics_.count_refusal("client_disconnected");
      session->deliver(jsonrpc::ParsedLine{
          std::nullopt,
          jsonrpc::Notification{"notifications/cancelled",
                                {{"requestId", message.id}, {"reason", "the HTTP client disconnected"}}}});
    }
  } while (!gave_up_at || Clock::now() - *gave_up_at < 5s);

  if (first.events.empty()) {
    // Cancelled by the client (notifications/cancelled, or it hung up): there is nothing to say.
    session->forget(stream);
    if (new_session) {
      sessions_.remove(session->id());
      session->close(0ms);
    }
    res.status = 202;
    return;
  }
  auto& head = first.events.front();
  if (new_session) {
    if (head.final && head.error_code == 0) {
      res.set_header(kSessionHeader, session->id());
      log::info("HTTP session started", {{"session", loggable_session_id(session->id())}});
    } else {
      sessions_.remove(session->id());
      session->close(0ms);
    }
  }
  // A modern error the revision gives its own status (-32021 is 400, -32601
  // is 404) is answered as JSON whatever the client accepts, so that status is seen.
  const int status = message.modern ? modern_status(head.error_code) : 200;
  if (head.final && (accept.json || status != 200)) {
    stream->mark_delivered(head.seq);
    session->forget(stream);
    reply_json(res, status, std::move(head.data));
    return;
  }

  SseOptions options;
  const bool resumable = !settings_.stateless && !message.modern;
  options.priming = resumable && protocol::at_least(session->protocol().protocol_version(), "2025-11-25");
  options.retry = settings_.sse_retry;
  options.keepalive = settings_.sse_keepalive;
  options.close_after = resumable ? settings_.sse_close_after : 0ms;
  options.event_ids = !message.modern;
  options.on_finished = [tracked, done] {};
  write_event_stream(res, session, session->attach(stream), std::move(options));
}

void McpEndpoint::get(const httplib::Request& req, httplib::Response& res) {
  if (settings_.stateless) return refuse_stateless(res, "GET");
  if (draining_) return refuse_while_draining(res);
  if (!parse_accept(req.get_header_value("Accept")).sse)
    return reply_error(
        res, 406, kTransportError,
        "Not Acceptable: GET opens an event stream; the Accept header must allow text/event-stream (got " +
            quoted_header(req.get_header_value("Accept")) + ")");
  if (!req.has_header(kSessionHeader)) {
    // 405 rather than 400: clients read it as "no stream here" and carry on.
    res.set_header("Allow", "POST, DELETE, OPTIONS");
    return reply_error(
        res, 405, kTransportError,
        "Method Not Allowed: a GET stream belongs to a session; send the Mcp-Session-Id header that "
        "initialize returned");
  }
  auto session = existing_session(req, res);
  if (!session || !check_protocol_version(req, res)) return;

  std::optional<HttpSession::Reader> reader;
  if (req.has_header("Last-Event-ID")) {
    reader = session->resume(req.get_header_value("Last-Event-ID"));
    if (!reader)
      log::info("Last-Event-ID names no stream this session still holds; opening a new stream",
                {{"session", loggable_session_id(session->id())}});
  }
  const bool fresh = !reader;
  if (fresh) reader = session->open_standalone();
  const bool request_stream = reader->stream->kind() == EventStream::Kind::request;

  SseOptions options;
  options.priming = fresh && protocol::at_least(session->protocol().protocol_version(), "2025-11-25");
  options.retry = settings_.sse_retry;
  options.keepalive = settings_.sse_keepalive;
  options.close_after = request_stream ? settings_.sse_close_after : 0ms;
  if (request_stream) options.on_finished = [tracked = track_exchange()] {};
  write_event_stream(res, session, *reader, std::move(options));
}

void McpEndpoint::remove(const httplib::Request& req, httplib::Response& res) {
  if (settings_.stateless) return refuse_stateless(res, "DELETE");
  if (!req.has_header(kSessionHeader)) {
    // 405, as for GET: without a legacy session there is nothing to delete.
    res.set_header("Allow", "POST, GET, OPTIONS");
    return reply_error(
        res, 405, kTransportError,
        "Method Not Allowed: DELETE ends a legacy session; send the Mcp-Session-Id header of the "
        "session to end");
  }
  auto session = sessions_.remove(req.get_header_value(kSessionHeader));
  if (!session)
    return reply_error(res, 404, kTransportError,
                       "Not Found: the session is unknown, has expired or was deleted");
  log::info("HTTP session deleted by the client", {{"session", loggable_session_id(session->id())}});
  // Calls still running are cancelled: nobody is left to read their results.
  session->close(0ms);
  res.status = 204;
}

void McpEndpoint::drain() {
  draining_ = true;
  // subscriptions/listen streams would otherwise hold the shutdown until its
  // deadline: each ends with its final result, and the client listens again
  // on another instance.
  context_.hub.end_listens();
}

bool McpEndpoint::wait_quiet(Clock::time_point deadline) {
  for (;;) {
    bool idle = false;
    {
      std::unique_lock lock(mutex_);
      idle = quiet_.wait_until(lock, std::min(deadline, Clock::now() + 20ms),
                               [this] { return exchanges_ == 0; });
    }
    if (idle) {
      auto live = sessions_.list();
      if (std::none_of(live.begin(), live.end(), [](const auto& s) { return s->running(); })) return true;
    }
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
}

void McpEndpoint::close_all() {
  auto all = sessions_.take_all();
  {
    std::lock_guard lock(mutex_);
    all.insert(all.end(), stateless_.begin(), stateless_.end());
  }
  // Sessions with calls still running wait for their cancellation; they do
  // it side by side so that the shutdown takes as long as the slowest one.
  std::vector<std::thread> closing;
  for (auto& session : all) {
    if (session->running())
      closing.emplace_back([session] { session->close(0ms); });
    else
      session->close(0ms);
  }
  for (auto& t : closing) t.join();
}

}  // namespace mcpd::transport::http
