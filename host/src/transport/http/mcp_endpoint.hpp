#pragma once
// The MCP endpoint of the Streamable HTTP transport, for both eras on one URL.
// A POST whose body claims MCP 2026-07-28 (params._meta protocolVersion) is
// modern: stateless, checked against its headers, served by a session that
// lives for that one request whatever http.stateless says, Mcp-Session-Id
// ignored. Everything else follows 2025-11-25 and older: POST carries one
// JSON-RPC message, GET opens or resumes a session's SSE stream, DELETE ends
// a session. Requests are answered with one JSON body when the response is
// the only message they produce, and with an SSE stream otherwise.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "protocol/server_context.hpp"
#include "transport/http/accept_header.hpp"
#include "transport/http/http_session.hpp"
#include "transport/http/http_settings.hpp"
#include "transport/http/metrics.hpp"
#include "transport/http/session_table.hpp"

namespace mcpd::transport::http {

class McpEndpoint {
 public:
  using Clock = std::chrono::steady_clock;

  McpEndpoint(protocol::ServerContext& context, const HttpSettings& settings, SessionTable& sessions,
              Metrics& metrics);

  // The checks of a POST that need only its headers (Content-Type, Accept),
  // made before the body is read. False: `res` holds the refusal.
  bool admit_post(const httplib::Request& req, httplib::Response& res) const;
  // `body`: the request's body, read within http.max_body_bytes.
  void post(const httplib::Request& req, const std::string& body, httplib::Response& res);
  void get(const httplib::Request& req, httplib::Response& res);
  void remove(const httplib::Request& req, httplib::Response& res);
  void refuse_method(const httplib::Request& req, httplib::Response& res);

  // Shutdown, in this order: refuse new requests (503) while answers and
  // notifications for running ones still get in; wait for the running ones;
  // close every session, which ends every stream.
  void drain();
  bool draining() const { return draining_.load(); }
  // True when nothing is running any more; false at `deadline`.
  bool wait_quiet(Clock::time_point deadline);
  void close_all();

 private:
  // What the POST body is, once parsed.
  struct Message {
    std::optional<std::string> key;  // id key of a request; none for notifications and responses
    boost::json::value id;
    std::string method;
    bool modern = false;  // the body claims MCP 2026-07-28 or later
  };

  void post_modern(const httplib::Request& req, jsonrpc::ParsedLine parsed, httplib::Response& res,
                   const Message& message, Acceptable accept);
  // A legacy-looking request sent with a modern MCP-Protocol-Version header:
  // true when it was refused (its envelope is missing).
  bool refused_unclaimed(const httplib::Request& req, const Message& message, httplib::Response& res) const;
  void post_stateless(const httplib::Request& req, jsonrpc::ParsedLine parsed, httplib::Response& res,
                      const Message& message, Acceptable accept);
  // Runs a request on a session made for it alone, closed when its answer is over.
  void exchange_alone(const std::shared_ptr<HttpSession>& session, jsonrpc::ParsedLine parsed,
                      httplib::Response& res, const Message& message, Acceptable accept);
  // Delivers a request and answers with its response (JSON) or its stream
  // (SSE). `on_done` runs once the answer is written, however it ended.
  void exchange(const std::shared_ptr<HttpSession>& session, jsonrpc::ParsedLine parsed,
                httplib::Response& res, const Message& message, Acceptable accept, bool new_session,
                std::function<void()> on_done);
  // `id`: the request's, echoed in the refusal (null for GET and DELETE).
  bool check_protocol_version(const httplib::Request& req, httplib::Response& res,
                              const boost::json::value& id = nullptr) const;
  std::shared_ptr<HttpSession> existing_session(const httplib::Request& req, httplib::Response& res,
                                                const boost::json::value& id = nullptr);
  void refuse_stateless(httplib::Response& res, std::string_view what) const;
  std::shared_ptr<void> track_exchange();
  HttpSession::Options session_options() const;

  protocol::ServerContext& context_;
  const HttpSettings& settings_;
  SessionTable& sessions_;
  Metrics& metrics_;
  std::atomic<bool> draining_{false};

  std::mutex mutex_;
  std::condition_variable quiet_;
  std::size_t exchanges_ = 0;                         // requests whose response is not written yet
  std::set<std::shared_ptr<HttpSession>> stateless_;  // sessions of single requests in progress (both eras)
};

}  // namespace mcpd::transport::http
