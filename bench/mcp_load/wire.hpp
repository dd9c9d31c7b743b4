// What the load driver and its responders say on the wire: a spawned stdio server, a keep-alive HTTP/1.1
// connection (client side) with chunked bodies and SSE answers, and the MCP messages of both eras.
// Standard library, POSIX and Boost.JSON only, so the driver costs little and measures the servers.
#ifndef MCPD_BENCH_MCP_LOAD_WIRE_HPP
#define MCPD_BENCH_MCP_LOAD_WIRE_HPP

#include <boost/json.hpp>

#include <sys/types.h>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mcp_load {

namespace json = boost::json;
using clock_type = std::chrono::steady_clock;

/// Anything that makes a measurement invalid: a dead server, a timeout, a malformed answer.
struct wire_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------------------------
// Files, pipes, sockets

/// Writes all of `data` (EINTR and short writes handled); throws wire_error.
void write_all(int fd, std::string_view data);

/// Buffered reads from a pipe or socket, with a deadline on every wait.
class fd_reader {
 public:
  explicit fd_reader(int fd = -1, std::chrono::milliseconds timeout = std::chrono::seconds(60))
      : fd_(fd), timeout_(timeout) {}
  void reset(int fd) {
    fd_ = fd;
    begin_ = end_ = 0;
  }
  /// The next line without its '\n' (and a trailing '\r'); nullopt at end of file.
  std::optional<std::string> read_line();
  /// Exactly `n` bytes appended to `out`; throws at end of file.
  void read_exact(std::size_t n, std::string& out);
  /// Everything until end of file appended to `out`.
  void read_to_end(std::string& out);
  /// Whether a whole line has been read already (the next read_line() will not wait).
  bool line_buffered() const {
    return std::find(buffer_.begin() + static_cast<std::ptrdiff_t>(begin_),
                     buffer_.begin() + static_cast<std::ptrdiff_t>(end_),
                     '\n') != buffer_.begin() + static_cast<std::ptrdiff_t>(end_);
  }

 private:
  bool fill();  // false at end of file
  int fd_;
  std::chrono::milliseconds timeout_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;  // the unread bytes
};

/// A server started with its stdin and stdout on pipes; stderr is inherited.
class child_process {
 public:
  explicit child_process(const std::vector<std::string>& argv);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  int stdin_fd() const { return in_; }
  fd_reader& out() { return reader_; }
  /// Closes stdin, waits up to `grace` for the exit, then SIGTERM and SIGKILL. Returns the wait status.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

 private:
  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  fd_reader reader_;
};

/// VmRSS of a process in KiB (0 when it cannot be read).
std::uint64_t rss_kib(pid_t pid);

/// One HTTP/1.1 client connection kept alive between requests (reopened when the server closes it).
class http_connection {
 public:
  struct response {
    int status = 0;
    std::string content_type;
    std::string session_id;  // Mcp-Session-Id
    std::string body;        // de-chunked
  };
  /// `url`: http://HOST:PORT/PATH (no TLS).
  explicit http_connection(std::string_view url);
  ~http_connection();
  http_connection(const http_connection&) = delete;
  http_connection& operator=(const http_connection&) = delete;

  /// POSTs `body` with the extra headers ("Name: value" each) and reads the whole answer.
  response post(const std::vector<std::string>& headers, std::string_view body);

 private:
  void open();
  std::string host_, port_, path_;
  int fd_ = -1;
  fd_reader reader_;
};

// ---------------------------------------------------------------------------------------------------------
// MCP messages

enum class era { legacy, modern };
inline constexpr std::string_view kLegacyVersion = "2025-11-25";
inline constexpr std::string_view kModernVersion = "2026-07-28";

/// A JSON string literal (quoted, escaped) for `text`.
std::string quoted(std::string_view text);

/// The _meta a 2026-07-28 request carries (version, capabilities, client info), as JSON object text.
std::string modern_meta();

/// One request as JSON text. `params_members`: the members of params without braces ("" for none); the
/// modern era gets its _meta added.
std::string request_text(era e, std::uint64_t id, std::string_view method, std::string_view params_members);
std::string initialize_text(std::uint64_t id);
std::string initialized_notification_text();
std::string tools_call_text(era e, std::uint64_t id, std::string_view tool, std::string_view arguments_json);

/// The text of the JSON-RPC response to `id` inside an HTTP answer (application/json, or an SSE stream
/// whose data lines carry notifications and then the response). Throws when there is none.
std::string response_in_http_body(const http_connection::response& r);

/// The parsed response, checked: an object with "result" (an "error" throws, naming it) and id == `id`.
json::object checked_result(std::string_view response_text, std::uint64_t id, json::value& storage);

/// The id of a response line (nullopt for notifications and server requests, which the driver skips).
std::optional<std::uint64_t> response_id(const json::value& message);

// ---------------------------------------------------------------------------------------------------------
// Payloads every implementation agrees on

/// Byte i of the image payload: (i * 131 + 17) mod 251 (as in bench_plugin.cpp and peers/tools.mjs).
std::string image_payload(std::size_t size);
std::string base64(std::string_view bytes);
/// `size` printable ASCII characters that need no JSON escaping.
std::string text_payload(std::size_t size);

}  // namespace mcp_load

#endif  // MCPD_BENCH_MCP_LOAD_WIRE_HPP
