#include "transport/http/http_server.hpp"

#include <httplib.h>

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "jsonrpc/message.hpp"
#include "log/logger.hpp"
#include "transport/http/admin_endpoint.hpp"
#include "transport/http/bounded_body.hpp"
#include "transport/http/current_connection.hpp"
#include "transport/http/guarded_server.hpp"
#include "transport/http/http_reply.hpp"
#include "transport/http/mcp_endpoint.hpp"
#include "transport/http/metrics.hpp"
#include "transport/http/request_guard.hpp"
#include "transport/http/session_table.hpp"
#include "transport/http/status_pages.hpp"
#include "transport/http/tls_context.hpp"
#include "util/exception_text.hpp"

namespace mcpd::transport::http {
using namespace std::chrono_literals;
using Door = RequestGuard::Door;

namespace {

// A body follows the headers: cpp-httplib reads one for a Content-Length
// above 0 and for any Transfer-Encoding.
bool announces_body(const httplib::Request& req) {
  if (req.has_header("Transfer-Encoding")) return true;
  const std::string length = req.get_header_value("Content-Length");
  return !length.empty() && length != "0";
}

bool expects_continue(const httplib::Request& req) {
  return req.get_header_value("Expect") == "100-continue";
}

// cpp-httplib matches route patterns as regular expressions.
std::string regex_escaped(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// Bodies for the refusals cpp-httplib makes on its own, before any handler.
std::string default_error_message(const httplib::Request& req, int status, const HttpSettings& settings) {
  switch (status) {
    case 400:
      return "Bad Request: the HTTP request could not be parsed (note: a single header line may not exceed "
             "8192 "
             "bytes)";
    case 404:
      return "Not Found: " + quoted_header(req.path) + " is not served here; the MCP endpoint is " +
             settings.endpoint;
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Payload Too Large: the body exceeds " + std::to_string(settings.max_body_bytes) +
             " bytes (http.max_body_bytes)";
    case 414:
      return "URI Too Long";
    default:
      return "HTTP error " + std::to_string(status);
  }
}

// cpp-httplib's default socket options set SO_REUSEPORT, which lets a second
// process bind a port that is already served: the kernel then splits the
// connections between both and a client's session lands on the wrong one
// half of the time. SO_REUSEADDR alone still allows a restart while old
// connections linger in TIME_WAIT, and refuses a port another socket listens on.
httplib::SocketOptions listening_socket_options(bool reuse_port) {
  return [reuse_port](int sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (reuse_port) ::setsockopt(sock, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof yes);
  };
}

// cpp-httplib listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, fixed
// when the shared library was built): a burst of clients connecting at once
// would be refused or delayed by SYN retries. Calling listen() again on the
// bound socket raises the backlog; this reaches the socket httplib keeps.
struct ListeningSocket : httplib::Server {
  static int of(const httplib::Server& server) { return server.*(&ListeningSocket::svr_sock_); }
};

}  // namespace

HttpServer::HttpServer(protocol::ServerContext& context, HttpSettings settings, ListenAddress address)
    : context_(context),
      settings_(std::move(settings)),
      address_(std::move(address)),
      metrics_(std::make_unique<Metrics>()),
      sessions_(std::make_unique<SessionTable>(SessionTable::Limits{
          settings_.max_sessions, settings_.max_sessions_per_client, settings_.session_idle_timeout})),
      guard_(std::make_unique<RequestGuard>(settings_, settings_.tls.enabled())),
      endpoint_(std::make_unique<McpEndpoint>(context_, settings_, *sessions_, *metrics_)),
      admin_(std::make_unique<AdminEndpoint>(context_, settings_.admin_token)) {
  context_.invoker.observer.tool_call = [this](std::string_view tool, std::string_view outcome,
                                               std::chrono::steady_clock::duration elapsed) {
    // Labelled by the qualified name; names that match no tool share one
    // label so a client cannot grow the metric without bound.
    const auto snapshot = context_.snapshot();
    const auto* entry = snapshot->find_tool(tool);
    metrics_->observe_tool_call(entry != nullptr ? std::string_view(entry->qualified_name) : "<unknown>",
                                outcome, elapsed);
  };
  context_.invoker.observer.limit_breach = [this](std::string_view limit) {
    metrics_->count_limit_breach(limit);
  };
}

HttpServer::~HttpServer() {
  shutdown(0ms);
  context_.invoker.observer.tool_call = nullptr;
  context_.invoker.observer.limit_breach = nullptr;
}

bool HttpServer::tls() const {
  return settings_.tls.enabled();
}

std::string HttpServer::address() const {
  return address_.to_string();
}

void HttpServer::start() {
  GuardedServer::Limits limits;
  limits.header_timeout = settings_.header_timeout;
  limits.max_header_bytes = settings_.max_header_bytes;
  limits.max_connections_per_client = settings_.max_connections_per_client;
  if (settings_.tls.enabled()) tls_context_ = make_server_tls_context(settings_.tls);
  server_ = std::make_unique<GuardedServer>(
      limits, [this](std::string_view reason) { metrics_->count_refusal(reason); }, tls_context_.get());
  const std::size_t threads = settings_.threads;
  server_->new_task_queue = [this, threads] {
    auto* pool = new httplib::ThreadPool(threads);
    threads_started_ = true;
    return pool;
  };
  server_->set_payload_max_length(settings_.max_body_bytes);
  server_->set_keep_alive_max_count(1000);
  server_->set_tcp_nodelay(true);
  server_->set_socket_options(listening_socket_options(settings_.reuse_port));
  server_->set_read_timeout(10, 0);
  install_routes();

  int port = address_.port;
  errno = 0;
  const bool bound = port == 0 ? (port = server_->bind_to_any_port(address_.host)) > 0
                               : server_->bind_to_port(address_.host, port);
  if (!bound)
    throw std::runtime_error(
        "cannot listen on " + address_.to_string() + ": " +
        (errno != 0 ? std::strerror(errno) : "the address cannot be bound") +
        (errno == EADDRINUSE ? " (another process listens on this port; stop it, or choose another address "
                               "with --http HOST:PORT, http.listen or MCPD_HTTP_LISTEN; to share the port "
                               "with another mcpd for a restart, set http.reuse_port on both)"
                             : " (choose another address with --http HOST:PORT, http.listen or "
                               "MCPD_HTTP_LISTEN)"));
  address_.port = port;
  if (::listen(ListeningSocket::of(*server_), SOMAXCONN) != 0)
    log::warn("could not raise the listen backlog", {{"error", std::strerror(errno)}});
  listener_ = std::thread([this] {
    server_->listen_after_bind();
    listening_ended_ = true;
  });
  // httplib's stop() does nothing until the accept loop runs: a SIGTERM
  // right after start() must not find a server that cannot be stopped. And
  // "ready" means ready to serve: the loop starts once the HTTP threads do
  // (creating 256 threads takes a few ms, but seconds under ThreadSanitizer).
  while (!(server_->is_running() && threads_started_) && !listening_ended_) std::this_thread::sleep_for(1ms);
  if (listening_ended_)
    throw std::runtime_error("the HTTP server on " + address_.to_string() + " stopped at once");
  sessions_->start_reaper();
}

std::optional<Door> HttpServer::door_of(const std::string& path) const {
  if (path == settings_.endpoint) return Door::endpoint;
  if (path == "/healthz") return Door::health;
  if (path == "/metrics") return Door::metrics;
  if (path == kAdminPluginsPath || path == kAdminReloadPath) return Door::admin;
  if (path == "/.well-known/oauth-protected-resource" ||
      path == "/.well-known/oauth-protected-resource" + settings_.endpoint)
    return Door::well_known;
  return std::nullopt;
}

bool HttpServer::admit_before_body(const httplib::Request& req, httplib::Response& res) {
  // cpp-httplib calls this once the headers are parsed and before it reads
  // (or inflates) a byte of the body: every refusal here costs no body.
  end_of_headers();
  const auto refuse = [&] {
    // The body, if any, is still on the connection: do not read it.
    if (announces_body(req)) {
      res.set_header("Connection", "close");
      close_after_response();
    }
    return false;
  };
  const auto door = door_of(req.path);
  if (!door) {
    reply_error(res, 404, kTransportError, default_error_message(req, 404, settings_));
    return refuse();
  }
  // A CORS preflight carries no credentials; RequestGuard::preflight checks it.
  if (req.method == "OPTIONS" && *door == Door::endpoint) return true;
  if (!guard_->admit(req, res, *door)) {
    if (res.status == 431) metrics_->count_refusal("header_too_large");
    return refuse();
  }
  const bool takes_body = *door == Door::endpoint && req.method == "POST";
  if (*door == Door::endpoint && req.method != "GET" && req.method != "POST" && req.method != "DELETE") {
    endpoint_->refuse_method(req, res);
    return refuse();
  }
  if (takes_body && !endpoint_->admit_post(req, res)) return refuse();
  if (!takes_body && announces_body(req)) {
    reply_error(res, 400, kTransportError,
                "Bad Request: " + req.method + " " + req.path + " takes no body; only POST " +
                    settings_.endpoint + " does");
    return refuse();
  }
  return true;
}

void HttpServer::install_routes() {
  auto& s = *server_;
  const std::string endpoint = regex_escaped(settings_.endpoint);

  // Host, Origin, authorization, method and media type are checked here,
  // before the body is read; the handlers below only do the work.
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    // Admitted already, before "100 Continue" was sent (below).
    if (expects_continue(req)) return httplib::Server::HandlerResponse::Unhandled;
    return admit_before_body(req, res) ? httplib::Server::HandlerResponse::Unhandled
                                       : httplib::Server::HandlerResponse::Handled;
  });
  // cpp-httplib answers "Expect: 100-continue" before routing: a client that
  // is refused must hear so instead of being invited to send its body.
  s.set_expect_100_continue_handler([this](const httplib::Request& req, httplib::Response& res) {
    return admit_before_body(req, res) ? 100 : res.status;
  });

  // A content-reader route: cpp-httplib hands the body over piece by piece
  // (inflated, de-chunked) and stops as soon as read_bounded_body says so.
  s.Post(endpoint,
         [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
           const BodyLimits limits{settings_.max_body_bytes, settings_.body_timeout};
           auto body = read_bounded_body(req, reader, limits);
           if (body.outcome != BoundedBody::Outcome::complete) {
             metrics_->count_refusal(body_outcome_name(body.outcome));
             close_after_response();
             return reply_body_refused(res, body, limits);
           }
           endpoint_->post(req, body.bytes, res);
         });
  s.Get(endpoint, [this](const httplib::Request& req, httplib::Response& res) { endpoint_->get(req, res); });
  s.Delete(endpoint,
           [this](const httplib::Request& req, httplib::Response& res) { endpoint_->remove(req, res); });
  s.Options(endpoint,
            [this](const httplib::Request& req, httplib::Response& res) { guard_->preflight(req, res); });

  s.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    const bool ready = !endpoint_->draining();
    res.status = ready ? 200 : 503;
    res.set_content(health_document(*context_.snapshot(), ready, sessions_->size()), "application/json");
  });
  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    std::string text = metrics_->render(*context_.snapshot(), sessions_->size());
    if (context_.plugin_admin) text += context_.plugin_admin->plugin_metrics();
    res.set_content(text, "text/plain; version=0.0.4; charset=utf-8");
  });
  s.Get(kAdminPluginsPath,
        [this](const httplib::Request& req, httplib::Response& res) { admin_->plugins(req, res); });
  s.Post(kAdminReloadPath,
         [this](const httplib::Request& req, httplib::Response& res) { admin_->reload(req, res); });
  // RFC 9728: at the root, and with the endpoint's path appended (the form
  // the MCP authorization spec derives from the resource URL).
  const auto metadata = [this](const httplib::Request& req, httplib::Response& res) {
    if (!guard_->auth_enabled())
      return reply_error(res, 404, kTransportError,
                         "Not Found: this server has no authorization configured (http.auth.bearer_tokens)");
    res.set_content(
        protected_resource_document(guard_->base_url(req) + settings_.endpoint,
                                    settings_.auth.authorization_servers, context_.settings.server_name),
        "application/json");
  };
  s.Get("/.well-known/oauth-protected-resource", metadata);
  s.Get("/.well-known/oauth-protected-resource" + endpoint, metadata);

  s.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req,
                                                                  httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // our own refusal
    // cpp-httplib could not parse the request: where the next one would
    // start is anybody's guess, so the connection ends with this answer.
    if ((res.status == 400 || res.status == 414) && header_fault() == ConnectionStream::HeaderFault::none) {
      res.set_header("Connection", "close");
      close_after_response();
    }
    // cpp-httplib answers 400 when reading the headers failed; say which limit stopped it.
    if (res.status == 400 && header_fault() == ConnectionStream::HeaderFault::too_slow) {
      reply_error(res, 408, kTransportError,
                  "Request Timeout: the request line and headers did not arrive within " +
                      std::to_string(settings_.header_timeout.count()) + " ms (http.header_timeout_ms)");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (res.status == 400 && header_fault() == ConnectionStream::HeaderFault::too_large) {
      reply_error(res, 431, kTransportError,
                  "Request Header Fields Too Large: the request line and headers exceed " +
                      std::to_string(settings_.max_header_bytes) + " bytes (http.max_header_bytes)");
      return httplib::Server::HandlerResponse::Handled;
    }
    reply_error(res, res.status, kTransportError, default_error_message(req, res.status, settings_));
    return httplib::Server::HandlerResponse::Handled;
  }));
  s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr error) {
    std::string what = "unknown exception";
    try {
      if (error) std::rethrow_exception(error);
    } catch (...) {
      what = current_exception_text();
    }
    log::error("HTTP handler failed", {{"method", req.method}, {"path", req.path}, {"error", what}});
    reply_error(res, 500, jsonrpc::kInternalError, "Internal error: " + what);
  });
  s.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    metrics_->count_request(req.method, res.status);
  });
}

void HttpServer::stop_accepting() {
  endpoint_->drain();
}

void HttpServer::shutdown(std::chrono::milliseconds deadline) {
  if (!server_ || stopped_.exchange(true)) return;
  endpoint_->drain();
  if (!endpoint_->wait_quiet(std::chrono::steady_clock::now() + deadline))
    log::warn("shutdown deadline reached; cancelling the HTTP requests still running",
              {{"deadline_ms", std::to_string(deadline.count())}});
  endpoint_->close_all();
  // Lets the streams that just ended write their last events.
  endpoint_->wait_quiet(std::chrono::steady_clock::now() + 2s);
  server_->stop();
  if (listener_.joinable()) listener_.join();
}

}  // namespace mcpd::transport::http
