// A small Streamable HTTP client for the end-to-end tests, on cpp-httplib:
// POSTs with the headers a conforming client sends, the session id once
// initialize returned one, answers read from JSON or SSE bodies, and a
// background reader for GET event streams. Every read has a timeout.
#pragma once

#include <httplib.h>

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sse_parser.hpp"

namespace mcpd_http_test {

using std::chrono::milliseconds;

struct Reply {
  int status = 0;  // 0: no HTTP answer (connection failed or timed out)
  httplib::Headers headers;
  std::string body;

  std::string header(const std::string& name) const;
  bool is_sse() const;
  std::vector<SseEvent> events() const;
  boost::json::value json() const;
  // The JSON-RPC response in the body (JSON) or the last event carrying one (SSE).
  boost::json::object response() const;
};

// Applies the timeouts every test client uses (and trusts `ca_file` for https).
void configure(httplib::Client& client, const std::string& ca_file = {});

class McpHttpClient {
 public:
  // `base_url` such as "http://127.0.0.1:43121".
  explicit McpHttpClient(const std::string& base_url, std::string endpoint = "/mcp",
                         std::string ca_file = {});

  httplib::Client& http() { return client_; }
  const std::string& endpoint() const { return endpoint_; }
  // Sent with every request from now on (e.g. Authorization).
  void add_header(std::string name, std::string value);

  // One message with Content-Type, Accept (both types), and once known the
  // session id and MCP-Protocol-Version; `extra` adds or replaces headers.
  Reply post(const boost::json::value& message, const httplib::Headers& extra = {});
  // Exactly these headers (plus the added ones) and this body.
  Reply post_raw(const std::string& body, const httplib::Headers& headers);
  Reply get(const std::string& path, const httplib::Headers& headers = {});
  Reply del(const httplib::Headers& headers = {});

  // initialize + notifications/initialized; returns (and remembers) the session id.
  std::string initialize(boost::json::object capabilities = {}, std::string version = "2025-11-25");
  const std::string& session_id() const { return session_id_; }
  void forget_session() { session_id_.clear(); }
  // Joins a session another client started (a second connection to it).
  void use_session(std::string id, std::string version = "2025-11-25") {
    session_id_ = std::move(id);
    version_ = std::move(version);
  }

  // POSTs `message` and hands every SSE event to `on_event` as it arrives
  // (return false to drop the connection). The reply's body is what arrived.
  Reply post_streaming(const boost::json::value& message,
                       const std::function<bool(const SseEvent&)>& on_event,
                       const httplib::Headers& extra = {});

  // A request with a fresh id; the final response (JSON or SSE).
  boost::json::object request(const std::string& method, boost::json::object params = {});
  boost::json::object call_tool(const std::string& name, boost::json::object arguments,
                                boost::json::object meta = {});
  boost::json::object make_request(const std::string& method, boost::json::object params = {});

  httplib::Headers session_headers() const;

 private:
  httplib::Headers merged(const httplib::Headers& extra) const;

  httplib::Client client_;
  std::string endpoint_;
  httplib::Headers added_;
  std::string session_id_;
  std::string version_ = "2025-11-25";
};

// Reads a GET event stream on a thread of its own until stopped.
class SseListener {
 public:
  SseListener(const std::string& base_url, const std::string& endpoint, httplib::Headers headers,
              std::string ca_file = {});
  ~SseListener();
  SseListener(const SseListener&) = delete;
  SseListener& operator=(const SseListener&) = delete;

  // The HTTP status once the response headers arrived (0 on timeout).
  int wait_status(milliseconds timeout);
  std::string header(const std::string& name);
  // The first event (in arrival order, from the start) that `match` accepts.
  std::optional<SseEvent> wait_for(const std::function<bool(const SseEvent&)>& match, milliseconds timeout);
  // True once the server ended the response.
  bool wait_closed(milliseconds timeout);
  std::vector<SseEvent> events();
  // Stops reading: the connection is dropped from the client side.
  void stop();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int status_ = 0;
  httplib::Headers headers_;
  std::vector<SseEvent> events_;
  bool closed_ = false;
  std::atomic<bool> stop_{false};
  std::thread reader_;
};

// JSON-RPC message that data of an event holds (an empty object when none).
boost::json::object event_message(const SseEvent& event);

}  // namespace mcpd_http_test
