#pragma once
// mcpd's Streamable HTTP server: cpp-httplib (with TLS when configured)
// serving the MCP endpoint, /healthz, /metrics and the OAuth
// protected-resource metadata, on a thread pool of its own.
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "protocol/server_context.hpp"
#include "transport/http/http_settings.hpp"
#include "transport/http/listen_address.hpp"
#include "transport/http/request_guard.hpp"
#include "transport/http/tls_context.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace mcpd::transport::http {

class AdminEndpoint;
class McpEndpoint;
class Metrics;
class SessionTable;

class HttpServer {
 public:
  // Also hooks the context's tool-call observer up to /metrics.
  HttpServer(protocol::ServerContext& context, HttpSettings settings, ListenAddress address);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds (port 0 picks a free port) and serves on a background thread.
  // Throws std::runtime_error naming the address, or the TLS files, on failure.
  void start();
  // The bound address, e.g. "127.0.0.1:43121".
  std::string address() const;
  bool tls() const;

  // From now on new requests are answered 503 (answers and notifications
  // for calls in flight still get in). shutdown() does it too.
  void stop_accepting();
  // Graceful stop: refuse new requests, let running ones finish until
  // `deadline` (then cancel them), end every stream, close the listener.
  void shutdown(std::chrono::milliseconds deadline);

 private:
  void install_routes();
  // Which door a path is; nullopt for a path mcpd does not serve.
  std::optional<RequestGuard::Door> door_of(const std::string& path) const;
  // Every check that needs only the headers (path, Host, Origin, token,
  // method, media type), run before cpp-httplib reads the body. False: `res`
  // holds the refusal.
  bool admit_before_body(const httplib::Request& req, httplib::Response& res);

  protocol::ServerContext& context_;
  const HttpSettings settings_;
  ListenAddress address_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<SessionTable> sessions_;
  std::unique_ptr<RequestGuard> guard_;
  std::unique_ptr<McpEndpoint> endpoint_;
  std::unique_ptr<AdminEndpoint> admin_;
  TlsContext tls_context_;  // outlives server_, whose connections use it
  std::unique_ptr<httplib::Server> server_;
  std::thread listener_;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> listening_ended_{false};
  std::atomic<bool> threads_started_{false};  // the HTTP thread pool exists: the accept loop runs next
};

}  // namespace mcpd::transport::http
