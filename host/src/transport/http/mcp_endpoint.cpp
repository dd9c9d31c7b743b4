#include "transport/http/mcp_endpoint.hpp"

#include <boost/json.hpp>

#include <thread>
#include <vector>

#include "jsonrpc/message.hpp"
#include "log/logger.hpp"
#include "protocol/protocol_version.hpp"
#include "transport/http/current_connection.hpp"
#include "transport/http/http_reply.hpp"
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

bool is_error_response(std::string_view message) {
  boost::system::error_code ec;
  json::value parsed = json::parse(message, ec);
  return !ec && parsed.is_object() && parsed.get_object().contains("error");
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

bool McpEndpoint::check_protocol_version(const httplib::Request& req, httplib::Response& res) const {
  if (!req.has_header(kVersionHeader)) return true;  // assumed kVersionWithoutHeader
  const std::string version = req.get_header_value(kVersionHeader);
  if (protocol::is_supported(version)) return true;
  reply_error(res, 400, kTransportError,
              "Bad Request: unsupported MCP-Protocol-Version " + quoted_header(version) +
                  " (supported: " + supported_versions() + ")");
  return false;
}

std::shared_ptr<HttpSession> McpEndpoint::existing_session(const httplib::Request& req,
                                                           httplib::Response& res) {
  auto session = sessions_.find(req.get_header_value(kSessionHeader));
  if (!session)
    reply_error(res, 404, kTransportError,
                "Not Found: the session is unknown or has expired; start a new one by sending initialize "
                "without an Mcp-Session-Id header");
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
  if (parsed.too_deep) context_.observer.breached("json_depth");
  if (parsed.batch)
    return reply_error(
        res, 400, jsonrpc::kInvalidRequest,
        "Invalid Request: JSON-RPC batches are not accepted over Streamable HTTP; POST one message "
        "per request");
  Message message;
  if (auto* request = std::get_if<jsonrpc::Request>(&parsed.message)) {
    message.key = jsonrpc::id_key(request->id);
    message.id = request->id;
    message.method = request->method;
  } else if (auto* invalid = std::get_if<jsonrpc::Invalid>(&parsed.message)) {
    // Without an id nothing can carry the error but this HTTP response.
    if (invalid->id.is_null()) return reply_error(res, 400, invalid->code, invalid->message);
    message.key = jsonrpc::id_key(invalid->id);
    message.id = invalid->id;
  }
  // While draining, answers and notifications for running calls still get in.
  if (draining_ && message.key) return refuse_while_draining(res);
  if (settings_.stateless) return post_stateless(req, body, res, message, accept);

  std::shared_ptr<HttpSession> session;
  bool new_session = false;
  if (!req.has_header(kSessionHeader)) {
    if (message.method != "initialize")
      return reply_error(res, 400, kTransportError,
                         "Bad Request: the Mcp-Session-Id header is required; start a session by sending "
                         "initialize without it",
                         message.id);
    session = HttpSession::create(context_, new_session_id(), session_options());
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
    session = existing_session(req, res);
    if (!session || !check_protocol_version(req, res)) return;
    session->touch();
  }
  if (!message.key) {
    session->deliver(body);
    res.status = 202;
    return;
  }
  exchange(session, body, res, message, accept, new_session, {});
}

void McpEndpoint::post_stateless(const httplib::Request& req, const std::string& body, httplib::Response& res,
                                 const Message& message, Acceptable accept) {
  if (!check_protocol_version(req, res)) return;
  auto session = HttpSession::create(context_, std::string(), session_options());
  // Every message stands alone: it speaks the version its header names.
  if (message.method != "initialize") {
    const std::string header = req.get_header_value(kVersionHeader);
    session->protocol().initialize_implicitly(header.empty() ? kVersionWithoutHeader
                                                             : std::string_view(header));
  }
  if (!message.key) {
    session->deliver(body);
    session->close(1s);
    res.status = 202;
    return;
  }
  {
    std::lock_guard lock(mutex_);
    stateless_.insert(session);
  }
  // The session ends with its one request; 1 s lets the worker that wrote
  // the response finish its bookkeeping.
  exchange(session, body, res, message, accept, false, [this, session] {
    session->close(1s);
    std::lock_guard lock(mutex_);
    stateless_.erase(session);
  });
}

void McpEndpoint::exchange(const std::shared_ptr<HttpSession>& session, const std::string& body,
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
  session->deliver(body);

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
      session->deliver(json::serialize(
          json::object{{"jsonrpc", "2.0"},
                       {"method", "notifications/cancelled"},
                       {"params", {{"requestId", message.id}, {"reason", "the HTTP client disconnected"}}}}));
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
  const auto& head = first.events.front();
  if (new_session) {
    if (head.final && !is_error_response(head.data)) {
      res.set_header(kSessionHeader, session->id());
      log::info("HTTP session started", {{"session", loggable_session_id(session->id())}});
    } else {
      sessions_.remove(session->id());
      session->close(0ms);
    }
  }
  if (head.final && accept.json) {
    stream->mark_delivered(head.seq);
    session->forget(stream);
    res.status = 200;
    res.set_content(head.data, "application/json");
    return;
  }

  SseOptions options;
  const bool resumable = !settings_.stateless;
  options.priming = resumable && protocol::at_least(session->protocol().protocol_version(), "2025-11-25");
  options.retry = settings_.sse_retry;
  options.keepalive = settings_.sse_keepalive;
  options.close_after = resumable ? settings_.sse_close_after : 0ms;
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
  if (!req.has_header(kSessionHeader))
    return reply_error(res, 400, kTransportError,
                       "Bad Request: DELETE needs the Mcp-Session-Id header of the session to end");
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
