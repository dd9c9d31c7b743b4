#include "transport/http/guarded_server.hpp"

#include <fcntl.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "transport/http/current_connection.hpp"
#include "transport/http/http_reply.hpp"

namespace mcpd::transport::http {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

// A response written straight to the socket, for refusals made before (or
// instead of) cpp-httplib's parser.
void write_refusal(ConnectionStream& stream, int status, const char* reason, std::string_view message,
                   const char* extra_header = nullptr) {
  httplib::Response res;
  reply_error(res, status, kTransportError, message);
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                    "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                    std::to_string(res.body.size()) + "\r\n";
  if (extra_header != nullptr) out += std::string(extra_header) + "\r\n";
  out += "\r\n" + res.body;
  std::size_t written = 0;
  while (written < out.size()) {
    const ssize_t n = stream.write(out.data() + written, out.size() - written);
    if (n <= 0) return;
    written += static_cast<std::size_t>(n);
  }
}

// After refusing a body we did not read: stop sending, then read and drop
// what the client still sends for a moment. Closing with unread data would
// reset the connection, and the client could lose the response before reading it.
void linger(ConnectionStream& stream) {
  ::shutdown(stream.socket(), SHUT_WR);
  const auto until = Clock::now() + 2s;
  char sink[16384];
  std::size_t dropped = 0;
  while (Clock::now() < until && dropped < (64u << 20) && stream.wait_readable(100ms)) {
    const ssize_t n = ::recv(stream.socket(), sink, sizeof sink, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) break;
    if (n > 0) dropped += static_cast<std::size_t>(n);
  }
}

struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};

struct TlsSession {
  std::unique_ptr<SSL, SslFree> ssl;  // empty when the handshake failed
  bool timed_out = false;
};

// The TLS handshake on a non-blocking socket, bounded by `deadline` (a client
// that dribbles its ClientHello holds a thread no longer than one that
// dribbles its headers).
TlsSession accept_tls(SSL_CTX* context, int sock, Clock::time_point deadline) {
  TlsSession session;
  const int flags = ::fcntl(sock, F_GETFL, 0);
  if (flags < 0 || ::fcntl(sock, F_SETFL, flags | O_NONBLOCK) != 0) return session;
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(context));
  if (!ssl || SSL_set_fd(ssl.get(), sock) != 1) return session;
  for (;;) {
    ERR_clear_error();
    const int done = SSL_accept(ssl.get());
    if (done == 1) break;
    short wanted = 0;
    switch (SSL_get_error(ssl.get(), done)) {
      case SSL_ERROR_WANT_READ:
        wanted = POLLIN;
        break;
      case SSL_ERROR_WANT_WRITE:
        wanted = POLLOUT;
        break;
      default:
        return session;  // not TLS, or a client that refused us
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{sock, wanted, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) {
      session.timed_out = true;
      return session;
    }
  }
  session.ssl = std::move(ssl);
  return session;
}

}  // namespace

GuardedServer::GuardedServer(Limits limits, std::function<void(std::string_view)> on_refusal, SSL_CTX* tls)
    : limits_(limits),
      tls_(tls),
      on_refusal_(std::move(on_refusal)),
      peers_(limits.max_connections_per_client) {}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  bool ok = false;
  if (tls_ == nullptr) {
    ConnectionStream stream(sock, nullptr, limits_.read_timeout, limits_.write_timeout);
    ok = serve(stream);
  } else {
    TlsSession session(accept_tls(tls_, sock, Clock::now() + limits_.header_timeout));
    if (session.ssl) {
      ConnectionStream stream(sock, session.ssl.get(), limits_.read_timeout, limits_.write_timeout);
      ok = serve(stream);
      SSL_shutdown(session.ssl.get());  // one try: the socket is non-blocking
    } else if (session.timed_out) {
      on_refusal_("tls_handshake_timeout");
    }
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

bool GuardedServer::serve(ConnectionStream& stream) {
  bool ok = false;
  std::string peer;
  int port = 0;
  stream.get_remote_ip_and_port(peer, port);
  const auto slot = peers_.acquire(peer);
  ConnectionState state{&stream, false};
  if (!slot) {
    on_refusal_("connections_per_client");
    write_refusal(stream, 503, "Service Unavailable",
                  "Service Unavailable: your address already has " + std::to_string(peers_.max_per_peer()) +
                      " open connections (http.max_connections_per_client); close some or reuse them",
                  "Retry-After: 1");
    state.close_after_response = true;
  } else {
    CurrentConnectionScope current(state);
    for (std::size_t served = 0; served < keep_alive_max_count_; ++served) {
      // Wait for the next request, noticing a server stop within 100 ms.
      const auto idle_until = Clock::now() + limits_.keep_alive_timeout;
      bool readable = false;
      while (!readable && svr_sock_ != INVALID_SOCKET && Clock::now() < idle_until)
        readable = stream.wait_readable(100ms);
      if (!readable || svr_sock_ == INVALID_SOCKET) break;

      // The budget leaves room above http.max_header_bytes so that the
      // request guard, not a cut, answers a request just over it (431).
      stream.begin_headers(Clock::now() + limits_.header_timeout, 2 * limits_.max_header_bytes + 1024);
      bool closed = false;
      const bool last = served + 1 == keep_alive_max_count_;
      ok = process_request(stream, last, closed, nullptr);
      const auto fault = stream.header_fault();
      if (fault == ConnectionStream::HeaderFault::too_slow) {
        on_refusal_("header_timeout");
        // The request line itself did not arrive: cpp-httplib wrote nothing.
        if (!ok)
          write_refusal(stream, 408, "Request Timeout",
                        "Request Timeout: the request line and headers did not arrive within " +
                            std::to_string(limits_.header_timeout.count()) + " ms (http.header_timeout_ms)");
        break;
      }
      if (fault == ConnectionStream::HeaderFault::too_large) {
        on_refusal_("header_too_large");
        if (!ok)
          write_refusal(stream, 431, "Request Header Fields Too Large",
                        "Request Header Fields Too Large: the request line and headers exceed " +
                            std::to_string(limits_.max_header_bytes) + " bytes (http.max_header_bytes)");
        break;
      }
      if (!ok || closed || state.close_after_response) break;
    }
  }
  if (state.close_after_response) linger(stream);
  return ok;
}

}  // namespace mcpd::transport::http
