#pragma once
// Runs plugin handlers: tools/call (with argument and output validation),
// resources/read, prompts/get and completion/complete. Shared by the protocol
// session, `mcpd call` and cross-namespace calls, so all three behave alike.
#include <boost/json.hpp>
#include <chrono>
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

inline constexpr int kMaxCallDepth = 8;
inline constexpr int kResourceNotFound = -32002;  // MCP's code for resources/read of an unknown URI

class Invoker {
 public:
  explicit Invoker(std::chrono::milliseconds client_request_timeout)
      : client_request_timeout_(client_request_timeout) {}

  boost::json::object call_tool(CallScope& scope, std::string_view name, const boost::json::value& arguments);
  boost::json::object read_resource(CallScope& scope, std::string_view uri);
  boost::json::object get_prompt(CallScope& scope, std::string_view name,
                                 const boost::json::value& arguments);
  boost::json::object complete(CallScope& scope, const boost::json::object& params);

  std::chrono::milliseconds client_request_timeout() const { return client_request_timeout_; }

  // An isError tool result carrying `message`.
  static boost::json::object error_result(std::string_view message);

 private:
  std::chrono::milliseconds client_request_timeout_;
};

}  // namespace mcpd::bridge
