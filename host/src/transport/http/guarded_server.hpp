#pragma once
// cpp-httplib's server with mcpd's own connection loop, for plain HTTP and
// TLS alike. cpp-httplib
// (0.11.4, a shared library whose limits are compiled in) gives a connection
// only a per-recv read timeout: a client dribbling its headers held a worker
// thread for ever, 300 of them starved the 256 threads, and nothing bounded
// how many threads one client address held. This loop runs each request
// through cpp-httplib's own parser and router (Server::process_request) on a
// ConnectionStream, and adds:
//   - a deadline and a byte budget for each request's line and headers
//     (http.header_timeout_ms, http.max_header_bytes);
//   - a cap on open connections per client address (http.max_connections_per_client);
//   - closing (after a short linger) a connection whose request body was refused unread;
//   - with TLS, a handshake that must end within the header deadline (cpp-httplib's
//     SSLServer blocked in SSL_accept and SSL_read, where no deadline can reach).
#include <httplib.h>

#include <chrono>
#include <functional>
#include <string_view>

#include "transport/http/connection_stream.hpp"
#include "transport/http/peer_connections.hpp"

namespace mcpd::transport::http {

class GuardedServer final : public httplib::Server {
 public:
  struct Limits {
    std::chrono::milliseconds header_timeout{10000};
    std::size_t max_header_bytes = 16384;
    std::size_t max_connections_per_client = 128;
    std::chrono::milliseconds read_timeout{10000};
    std::chrono::milliseconds write_timeout{5000};
    std::chrono::milliseconds keep_alive_timeout{5000};
  };
  // `on_refusal` counts a connection-level refusal ("header_timeout", ...).
  // `tls`: serve HTTPS with this context (not owned), or nullptr for plain HTTP.
  GuardedServer(Limits limits, std::function<void(std::string_view)> on_refusal, SSL_CTX* tls = nullptr);

 private:
  // cpp-httplib calls this on a worker thread for every accepted connection.
  bool process_and_close_socket(socket_t sock) override;

  // Serves the connections of `stream` until it closes or must be closed.
  bool serve(ConnectionStream& stream);

  const Limits limits_;
  SSL_CTX* const tls_;
  std::function<void(std::string_view)> on_refusal_;
  PeerConnections peers_;
};

}  // namespace mcpd::transport::http
