#include "raw_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace mcpd_http_test {

using Clock = std::chrono::steady_clock;

namespace {

int remaining_ms(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

RawConnection::RawConnection(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    const std::string error = std::strerror(errno);
    ::close(fd_);
    throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + ": " + error);
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send(std::string_view bytes, std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  while (!bytes.empty()) {
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, remaining_ms(until)) <= 0 || (p.revents & (POLLERR | POLLHUP)) != 0) return false;
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string RawConnection::read_head(std::chrono::milliseconds timeout, std::string received) {
  const auto until = Clock::now() + timeout;
  // The headers, then as much of the body as Content-Length announces.
  const auto complete = [&received] {
    const auto end = received.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    const auto length = received.find("Content-Length: ");
    if (length == std::string::npos || length > end) return true;
    return received.size() >= end + 4 + std::stoul(received.substr(length + 16));
  };
  while (!complete()) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, remaining_ms(until)) <= 0) break;
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  return received;
}

int RawConnection::status_of(const std::string& head) {
  // "HTTP/1.1 413 Payload Too Large"
  if (head.rfind("HTTP/1.", 0) != 0 || head.size() < 12) return 0;
  return std::atoi(head.substr(9, 3).c_str());
}

bool RawConnection::wait_closed(std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, remaining_ms(until)) <= 0) return false;
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return true;
  }
}

long resident_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return 0;
}

long resident_kib_at_rest(pid_t pid) {
  long previous = resident_kib(pid);
  const auto until = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const long now = resident_kib(pid);
    if (now - previous < 1024) return now;
    previous = now;
  }
  return previous;
}

long cpu_ticks(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(stat, text);
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::atol(field.c_str());
    if (i == 15) stime = std::atol(field.c_str());
  }
  return utime + stime;
}

bool wait_until_quiet(pid_t pid, std::chrono::milliseconds timeout) {
  constexpr auto kWindow = std::chrono::milliseconds(500);
  const long ticks_per_window = ::sysconf(_SC_CLK_TCK) / 2;
  const auto until = Clock::now() + timeout;
  long before = cpu_ticks(pid);
  while (Clock::now() < until) {
    std::this_thread::sleep_for(kWindow);
    const long after = cpu_ticks(pid);
    if (after - before <= ticks_per_window / 10) return true;  // under 10% of one core
    before = after;
  }
  return false;
}

}  // namespace mcpd_http_test
