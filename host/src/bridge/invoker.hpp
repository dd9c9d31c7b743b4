#pragma once
// Runs plugin handlers: tools/call (with argument and output validation),
// resources/read, prompts/get and completion/complete. Shared by the protocol
// session, `mcpd call` and cross-namespace calls, so all three behave alike.
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

#include "bridge/call_context.hpp"

namespace mcpd::bridge {

// A failure the client gets as a JSON-RPC error (not as an isError result).
struct RpcError : std::runtime_error {
  RpcError(int code, const std::string& message, boost::json::value data = nullptr)
      : std::runtime_error(message), code(code), data(std::move(data)) {}
  int code;
  boost::json::value data;
};

// tools/call of a name that is not a tool (for this client): -32602, telling the client where to look.
inline RpcError unknown_tool(std::string_view name) {
  return RpcError(-32602,
                  "Unknown tool: \"" + std::string(name) + "\". Call tools/list to see the available tools.");
}

inline constexpr int kMaxCallDepth = 8;
inline constexpr int kResourceNotFound = -32002;  // MCP's code for resources/read of an unknown URI

// Hooks for metrics; an empty function is skipped. Set before any call runs.
struct CallObserver {
  // outcome: "ok", "error" (isError result), "rpc_error" (JSON-RPC error), "cancelled",
  // "timeout" (answered by server.call_timeout_ms; reported by the session that answered).
  std::function<void(std::string_view tool, std::string_view outcome,
                     std::chrono::steady_clock::duration elapsed)>
      tool_call;
  // A request refused or ended by a limit; `limit` names it, by its setting where it has one
  // ("server.max_message_bytes", "server.call_timeout_ms", ...), never with client text.
  std::function<void(std::string_view limit)> limit_breach;

  void breached(std::string_view limit) const {
    if (limit_breach) limit_breach(limit);
  }
};

class Invoker {
 public:
  explicit Invoker(std::chrono::milliseconds client_request_timeout)
      : client_request_timeout_(client_request_timeout) {}

  // Every tool call, a client's or a plugin's nested one, is counted here:
  // in flight while it runs, then observed with its outcome (unless its
  // request was already answered by its deadline, which counted it then).
  boost::json::object call_tool(CallScope& scope, std::string_view name, const boost::json::value& arguments);
  boost::json::object read_resource(CallScope& scope, std::string_view uri);
  boost::json::object get_prompt(CallScope& scope, std::string_view name,
                                 const boost::json::value& arguments);
  boost::json::object complete(CallScope& scope, const boost::json::object& params);

  std::chrono::milliseconds client_request_timeout() const { return client_request_timeout_; }
  // Tool calls running now, nested ones included.
  std::int64_t tool_calls_in_flight() const { return in_flight_.load(); }

  CallObserver observer;

  // An isError tool result carrying `message`.
  static boost::json::object error_result(std::string_view message);

 private:
  boost::json::object run_tool(CallScope& scope, std::string_view name, const boost::json::value& arguments);

  std::chrono::milliseconds client_request_timeout_;
  std::atomic<std::int64_t> in_flight_{0};
};

}  // namespace mcpd::bridge
