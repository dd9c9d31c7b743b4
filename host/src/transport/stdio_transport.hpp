#pragma once
// MCP over stdio: newline-delimited JSON-RPC. stdout carries nothing but
// protocol messages (logs go to stderr); a line longer than the configured
// limit is discarded and reported without ending the session.
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace mcpd::transport {

class StdioTransport {
 public:
  StdioTransport(int in_fd, int out_fd, std::size_t max_message_bytes);

  // Writes one message and its newline atomically with respect to other writers.
  void write_message(std::string_view message);

  // Reads until EOF (or a read error), calling `on_line` for every line and
  // `on_oversize` for every line that exceeded the limit.
  void run(const std::function<void(std::string_view)>& on_line,
           const std::function<void(std::size_t limit)>& on_oversize);

 private:
  int in_fd_;
  int out_fd_;
  std::size_t max_message_bytes_;
  std::mutex write_mutex_;
  bool output_broken_ = false;
};

}  // namespace mcpd::transport
