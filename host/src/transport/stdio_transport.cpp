#include "transport/stdio_transport.hpp"

#include <unistd.h>
#include <cerrno>
#include <cstring>

#include "log/logger.hpp"

namespace mcpd::transport {

StdioTransport::StdioTransport(int in_fd, int out_fd, std::size_t max_message_bytes)
    : in_fd_(in_fd), out_fd_(out_fd), max_message_bytes_(max_message_bytes) {}

void StdioTransport::write_message(std::string_view message) {
  std::lock_guard lock(write_mutex_);
  if (output_broken_) return;
  std::string line;
  line.reserve(message.size() + 1);
  line.append(message).push_back('\n');
  const char* p = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(out_fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      output_broken_ = true;  // the client closed its end; nothing more can reach it
      log::warn("stdout closed; dropping outgoing messages", {{"error", std::strerror(errno)}});
      return;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

void StdioTransport::run(const std::function<void(std::string_view)>& on_line,
                         const std::function<void(std::size_t)>& on_oversize) {
  std::string pending;
  bool discarding = false;  // inside an oversize line, until its newline
  char buffer[64 * 1024];
  for (;;) {
    ssize_t n = ::read(in_fd_, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      log::error("reading stdin failed", {{"error", std::strerror(errno)}});
      return;
    }
    if (n == 0) break;  // EOF
    std::string_view chunk(buffer, static_cast<std::size_t>(n));
    while (!chunk.empty()) {
      std::size_t newline = chunk.find('\n');
      std::string_view piece = chunk.substr(0, newline);
      if (discarding) {
        if (newline == std::string_view::npos) break;
        discarding = false;
      } else if (pending.size() + piece.size() > max_message_bytes_) {
        pending.clear();
        on_oversize(max_message_bytes_);
        discarding = newline == std::string_view::npos;
      } else {
        pending.append(piece);
        if (newline != std::string_view::npos) {
          if (!pending.empty() && pending.back() == '\r') pending.pop_back();
          on_line(pending);
          pending.clear();
        }
      }
      if (newline == std::string_view::npos) break;
      chunk.remove_prefix(newline + 1);
    }
  }
  // A final message without its newline still counts.
  if (!pending.empty() && !discarding) on_line(pending);
}

}  // namespace mcpd::transport
