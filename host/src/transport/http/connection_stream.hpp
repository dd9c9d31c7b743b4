#pragma once
// One connection (plain, or TLS over a non-blocking socket) as cpp-httplib
// reads and writes it, with what
// cpp-httplib's own SocketStream lacks: a deadline and a byte budget for the
// request line and headers. cpp-httplib only has a per-recv read timeout, so
// a client that sends one header byte every few seconds held a worker thread
// for ever (slowloris), and a request line without '\n' grew without bound.
#include <httplib.h>
#include <openssl/ssl.h>

#include <chrono>
#include <cstddef>
#include <vector>

namespace mcpd::transport::http {

class ConnectionStream final : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;

  // `tls`: the connection's TLS session after its handshake (the socket is
  // then non-blocking), or nullptr for plain HTTP. Neither is owned.
  ConnectionStream(int socket, SSL* tls, std::chrono::milliseconds read_timeout,
                   std::chrono::milliseconds write_timeout);

  // A new request starts: its request line and headers must arrive before
  // `deadline` and within `max_bytes`.
  void begin_headers(Clock::time_point deadline, std::size_t max_bytes);
  // The headers are parsed; the body and the response have their own bounds.
  void end_headers();
  enum class HeaderFault { none, too_slow, too_large };
  HeaderFault header_fault() const { return header_fault_; }
  // Bytes that arrived and were not read yet (the next request, or the rest of a refused body).
  bool has_buffered_input() const {
    return buffered_ < filled_ || (tls_ != nullptr && SSL_pending(tls_) > 0);
  }
  // True when something arrives within `timeout`.
  bool wait_readable(std::chrono::milliseconds timeout) const;
  // False once the peer has closed its side or reset the connection.
  bool peer_connected() const;

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return socket_; }

 private:
  // The time a read may still wait: the read timeout, cut short by the header deadline.
  int read_wait_ms() const;
  // Refills buffer_ from the socket (or the TLS session); what recv returns.
  ssize_t fill();
  ssize_t tls_read(char* data, std::size_t size);
  ssize_t tls_write(const char* data, std::size_t size);

  const int socket_;
  SSL* const tls_;
  const std::chrono::milliseconds read_timeout_;
  const std::chrono::milliseconds write_timeout_;
  std::vector<char> buffer_;
  std::size_t buffered_ = 0;  // read position in buffer_
  std::size_t filled_ = 0;    // end of the data in buffer_
  bool in_headers_ = false;
  Clock::time_point header_deadline_;
  std::size_t header_budget_ = 0;
  mutable HeaderFault header_fault_ = HeaderFault::none;
};

}  // namespace mcpd::transport::http
