// An MCP client for tests: runs `mcpd serve --stdio` in a ChildProcess and
// exchanges JSON-RPC lines with it. Messages that arrive while a test waits
// for something else (notifications, server requests, other responses) are
// kept in a backlog, so nothing the server says is lost or reordered.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcpd_process.hpp"

namespace mcpd_test {

namespace json = boost::json;

// Long enough for a loaded CI machine, short enough that a hung server fails
// the test quickly.
inline constexpr milliseconds kReplyTimeout{10000};

// Paths baked in by CMake (see tests/e2e/CMakeLists.txt).
struct BuildPaths {
  static std::string mcpd();                                // ${CMAKE_BINARY_DIR}/bin/mcpd
  static std::string shipped_plugins_dir();                 // ${CMAKE_BINARY_DIR}/plugins (tracking, gemini)
  static std::string test_plugins_dir();                    // ${MCPD_TEST_PLUGINS_DIR}
  static std::string broken_plugins_dir();                  // ${MCPD_TEST_PLUGINS_DIR}/broken
  static std::string hello_plugin();                        // the SDK example's hello.so
  static std::string testkit_plugin();                      // ${MCPD_TEST_PLUGINS_DIR}/testkit.so
  static std::string test_plugin(std::string_view name);    // ${MCPD_TEST_PLUGINS_DIR}/<name>.so
  static std::string broken_plugin(std::string_view name);  // .../broken/<name>.so
  static std::string project_version();  // PROJECT_VERSION, what serverInfo.version must say
};

// A directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to <dir>/<name> and returns the file's path.
  std::filesystem::path write_file(std::string_view name, std::string_view content) const;

 private:
  std::filesystem::path path_;
};

// How to start `mcpd serve --stdio`.
struct ServeOptions {
  std::vector<std::string> plugin_dirs;  // --plugins-dir, in order
  std::vector<std::string> plugins;      // --plugin, in order
  // When set, written to a temp file and passed as --config.
  std::optional<json::object> config;
  std::vector<std::string> extra_args;
  std::vector<std::string> environment;  // NAME=value
  // The server's RLIMIT_FSIZE, set by prlimit(1) before mcpd starts: a write past it fails with EFBIG, the
  // way a full disk fails with ENOSPC. Unset: inherited.
  std::optional<std::uint64_t> max_file_bytes;
};

// The shipped plugins dir plus hello.so and testkit.so: the usual test server.
ServeOptions standard_serve_options();

class McpSession {
 public:
  explicit McpSession(ServeOptions options = standard_serve_options());

  ChildProcess& process() { return *process_; }

  // Sends one message as one line.
  void send(const json::value& message);
  // Sends a line exactly as given (for malformed input).
  void send_line(std::string_view line);

  // Sends a request with a fresh integer id and returns that id.
  json::value send_request(std::string_view method, json::object params = {});
  // Sends a request and waits for its response (the whole response object,
  // with either "result" or "error").
  json::object request(std::string_view method, json::object params = {},
                       milliseconds timeout = kReplyTimeout);
  // Like request(), but requires a "result" and returns it.
  json::object request_result(std::string_view method, json::object params = {},
                              milliseconds timeout = kReplyTimeout);
  void notify(std::string_view method, json::object params = {});

  // initialize + notifications/initialized; returns the initialize result.
  json::object initialize(std::string_view protocol_version = "2025-11-25", json::object capabilities = {});

  // tools/call; returns the whole response (result or error).
  json::object call_tool(std::string_view name, json::object arguments = {},
                         milliseconds timeout = kReplyTimeout);
  // tools/call that must produce a result; returns the CallToolResult.
  json::object call_tool_result(std::string_view name, json::object arguments = {},
                                milliseconds timeout = kReplyTimeout);

  // Waits for the response to `id` (from the backlog first). Throws on timeout.
  json::object await_response(const json::value& id, milliseconds timeout = kReplyTimeout);
  // Waits for the first message (backlog first) that satisfies `wanted`,
  // removes it from the backlog and returns it; nullopt on timeout.
  std::optional<json::value> await_message(const std::function<bool(const json::value&)>& wanted,
                                           milliseconds timeout = kReplyTimeout);
  // Waits for the next message of any kind (backlog first); nullopt on timeout.
  std::optional<json::value> next_message(milliseconds timeout);
  // Reads everything the server writes during `duration` into the backlog.
  void collect_for(milliseconds duration);

  // Messages read but not consumed yet, oldest first.
  const std::vector<json::value>& backlog() const { return backlog_; }
  // Notifications with this method in the backlog, oldest first (not removed).
  std::vector<json::object> notifications(std::string_view method) const;
  void clear_backlog() { backlog_.clear(); }

  // A ping round trip; the answer must be {}.
  void expect_ping_answered(milliseconds timeout = kReplyTimeout);

  // What a failure message should show: the server's stderr.
  std::string diagnostics();

 private:
  // Reads one line from the server into the backlog; false on timeout/EOF.
  bool read_into_backlog(milliseconds timeout);

  std::unique_ptr<TempDir> config_dir_;
  std::unique_ptr<ChildProcess> process_;
  std::vector<json::value> backlog_;
  std::int64_t next_id_ = 1;
};

// The concatenated text of every text block in a CallToolResult's content.
// The params of an MCP 2026-07-28 request: `params` with the _meta envelope
// (protocol version, client capabilities, client info) added.
json::object modern(json::object params = {}, json::object capabilities = {});

std::string text_of(const json::object& call_tool_result);
// True when `response` is a JSON-RPC response carrying exactly this id (same
// kind and value; 1 and "1" differ).
bool has_id(const json::value& message, const json::value& id);
// The JSON-RPC error code of a response, or nullopt when it has no error.
std::optional<std::int64_t> error_code_of(const json::object& response);
// The error message of a response ("" when none).
std::string error_message_of(const json::object& response);
// True when a CallToolResult has isError:true.
bool is_error_result(const json::object& call_tool_result);
// The names in a tools/list-style array of objects with "name".
std::vector<std::string> names_of(const json::array& entries);

}  // namespace mcpd_test
