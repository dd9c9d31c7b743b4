#pragma once
// cpp-httplib's plain-HTTP server with mcpd's own connection loop. cpp-httplib
// (0.11.4, a shared library whose limits are compiled in) gives a connection
// only a per-recv read timeout: a client dribbling its headers held a worker
// thread for ever, 300 of them starved the 256 threads, and nothing bounded
// how many threads one client address held. This loop runs each request
// through cpp-httplib's own parser and router (Server::process_request) on a
// ConnectionStream, and adds:
//   - a deadline and a byte budget for each request's line and headers
//     (http.header_timeout_ms, http.max_header_bytes);
//   - a cap on open connections per client address (http.max_connections_per_client);
//   - closing (after a short linger) a connection whose request body was refused unread.
// TLS connections are still run by cpp-httplib's SSLServer (see docs/http.md#limits).
#include <httplib.h>

#include <chrono>
#include <functional>
#include <string_view>

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
  GuardedServer(Limits limits, std::function<void(std::string_view)> on_refusal);

 private:
  // cpp-httplib calls this on a worker thread for every accepted connection.
  bool process_and_close_socket(socket_t sock) override;

  const Limits limits_;
  std::function<void(std::string_view)> on_refusal_;
  PeerConnections peers_;
};

}  // namespace mcpd::transport::http
