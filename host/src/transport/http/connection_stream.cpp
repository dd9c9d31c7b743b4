#include "transport/http/connection_stream.hpp"

#include <netdb.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace mcpd::transport::http {

namespace {

constexpr std::size_t kBufferBytes = 64 * 1024;

bool poll_for(int socket, short events, int timeout_ms) {
  pollfd p{socket, events, 0};
  int ready;
  do {
    ready = ::poll(&p, 1, timeout_ms);
  } while (ready < 0 && errno == EINTR);
  return ready > 0 && (p.revents & (events | POLLHUP | POLLERR)) != 0;
}

void numeric_address(const sockaddr_storage& address, socklen_t length, std::string& ip, int& port) {
  if (address.ss_family == AF_INET)
    port = ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  else if (address.ss_family == AF_INET6)
    port = ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  else
    return;
  std::array<char, NI_MAXHOST> text{};
  if (::getnameinfo(reinterpret_cast<const sockaddr*>(&address), length, text.data(),
                    static_cast<socklen_t>(text.size()), nullptr, 0, NI_NUMERICHOST) == 0)
    ip = text.data();
}

}  // namespace

ConnectionStream::ConnectionStream(int socket, SSL* tls, std::chrono::milliseconds read_timeout,
                                   std::chrono::milliseconds write_timeout)
    : socket_(socket),
      tls_(tls),
      read_timeout_(read_timeout),
      write_timeout_(write_timeout),
      buffer_(kBufferBytes) {}

void ConnectionStream::begin_headers(Clock::time_point deadline, std::size_t max_bytes) {
  in_headers_ = true;
  header_deadline_ = deadline;
  header_budget_ = max_bytes;
  header_fault_ = HeaderFault::none;
}

void ConnectionStream::end_headers() {
  in_headers_ = false;
}

int ConnectionStream::read_wait_ms() const {
  auto wait = read_timeout_;
  if (in_headers_) {
    // Rounded up: a wait cut to 0 ms before the deadline would fail the read without saying why.
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(header_deadline_ - Clock::now());
    wait = std::min(wait, std::max(left, std::chrono::milliseconds(0)));
  }
  return static_cast<int>(wait.count());
}

bool ConnectionStream::wait_readable(std::chrono::milliseconds timeout) const {
  return has_buffered_input() || poll_for(socket_, POLLIN, static_cast<int>(timeout.count()));
}

bool ConnectionStream::peer_connected() const {
  if (has_buffered_input()) return true;
  if (!poll_for(socket_, POLLIN, 0)) return true;  // nothing to read: nothing happened
  char byte;
  const ssize_t n = ::recv(socket_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR));
}

bool ConnectionStream::is_readable() const {
  if (has_buffered_input()) return true;
  const bool readable = poll_for(socket_, POLLIN, read_wait_ms());
  // Headers that stop arriving, whether the header deadline or the read
  // timeout ended the wait, are a slow request.
  if (!readable && in_headers_) header_fault_ = HeaderFault::too_slow;
  return readable;
}

bool ConnectionStream::is_writable() const {
  return poll_for(socket_, POLLOUT, static_cast<int>(write_timeout_.count())) && peer_connected();
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  // A client that keeps dribbling always has a byte ready: the deadline is
  // checked on every read, not only while waiting.
  if (in_headers_ && Clock::now() >= header_deadline_) {
    header_fault_ = HeaderFault::too_slow;
    return -1;
  }
  if (buffered_ == filled_) {
    const ssize_t n = fill();
    if (n <= 0) return n;
  }
  std::size_t count = std::min(size, filled_ - buffered_);
  if (in_headers_) {
    if (header_budget_ == 0) {
      header_fault_ = HeaderFault::too_large;
      return -1;
    }
    count = std::min(count, header_budget_);
    header_budget_ -= count;
  }
  std::memcpy(ptr, buffer_.data() + buffered_, count);
  buffered_ += count;
  return static_cast<ssize_t>(count);
}

ssize_t ConnectionStream::fill() {
  ssize_t n;
  if (tls_ != nullptr) {
    n = tls_read(buffer_.data(), buffer_.size());
  } else {
    if (!is_readable()) return -1;
    do {
      n = ::recv(socket_, buffer_.data(), buffer_.size(), 0);
    } while (n < 0 && errno == EINTR);
  }
  if (n <= 0) return n;
  buffered_ = 0;
  filled_ = static_cast<std::size_t>(n);
  return n;
}

// SSL_read on a non-blocking socket: every wait for the network goes through
// poll, so the header deadline holds even while a TLS record dribbles in.
ssize_t ConnectionStream::tls_read(char* data, std::size_t size) {
  for (;;) {
    ERR_clear_error();
    const int n = SSL_read(tls_, data, static_cast<int>(std::min<std::size_t>(size, 1u << 30)));
    if (n > 0) return n;
    switch (SSL_get_error(tls_, n)) {
      case SSL_ERROR_WANT_READ:
        if (!is_readable()) return -1;
        break;
      case SSL_ERROR_WANT_WRITE:
        if (!poll_for(socket_, POLLOUT, static_cast<int>(write_timeout_.count()))) return -1;
        break;
      case SSL_ERROR_ZERO_RETURN:
        return 0;  // close_notify
      default:
        return -1;
    }
  }
}

ssize_t ConnectionStream::tls_write(const char* data, std::size_t size) {
  for (;;) {
    ERR_clear_error();
    const int n = SSL_write(tls_, data, static_cast<int>(std::min<std::size_t>(size, 1u << 30)));
    if (n > 0) return n;
    switch (SSL_get_error(tls_, n)) {
      case SSL_ERROR_WANT_WRITE:
        if (!poll_for(socket_, POLLOUT, static_cast<int>(write_timeout_.count()))) return -1;
        break;
      case SSL_ERROR_WANT_READ:
        if (!poll_for(socket_, POLLIN, static_cast<int>(write_timeout_.count()))) return -1;
        break;
      default:
        return -1;
    }
  }
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (tls_ != nullptr) return tls_write(ptr, size);
  if (!poll_for(socket_, POLLOUT, static_cast<int>(write_timeout_.count()))) return -1;
  ssize_t n;
  do {
    n = ::send(socket_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getpeername(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    numeric_address(address, length, ip, port);
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    numeric_address(address, length, ip, port);
}

}  // namespace mcpd::transport::http
