#pragma once
// JSON-RPC 2.0 as MCP uses it: classification of one incoming message and the
// builders for outgoing ones. Pure functions, no I/O, so every error code is
// unit-testable.
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace mcpd::jsonrpc {

namespace json = boost::json;

// Standard JSON-RPC error codes.
enum ErrorCode : int {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidParams = -32602,
  kInternalError = -32603,
};

struct Request {
  json::value id;  // string or integer, echoed exactly
  std::string method;
  json::object params;  // {} when absent
};

struct Notification {
  std::string method;
  json::object params;
};

struct Response {  // an answer from the peer to a request we sent
  json::value id;
  std::optional<json::value> result;
  std::optional<json::object> error;
};

// A message that cannot be processed. `id` is the request's id when it could be
// recovered (so the error can be correlated), null otherwise.
struct Invalid {
  int code;
  std::string message;
  json::value id;
};

using Message = std::variant<Request, Notification, Response, Invalid>;

// Classifies one already-parsed JSON value (an element of a batch, or a whole line). The value is taken
// whole so that a request's params (a tool's arguments can be megabytes) move into it instead of copying.
Message classify(json::value value);

// Parses one line of text. Not-JSON is kParseError; everything else goes through classify().
// A JSON array (a batch) is reported through `batch` instead of being classified.
// JSON nested deeper than kMaxMessageDepth is a kParseError too, with too_deep set (a limit breach).
inline constexpr std::size_t kMaxMessageDepth = 64;
struct ParsedLine {
  std::optional<json::array> batch;
  Message message;
  bool too_deep = false;
};
ParsedLine parse_line(std::string_view line);

json::object make_result(const json::value& id, json::value result);
json::object make_error(const json::value& id, int code, std::string_view message,
                        std::optional<json::value> data = std::nullopt);
json::object make_notification(std::string_view method, json::object params);
json::object make_request(const json::value& id, std::string_view method, json::object params);

// A stable key for maps keyed by request id: "s:<text>" or "i:<number>", so that
// the string "1" and the integer 1 stay different requests.
std::string id_key(const json::value& id);

}  // namespace mcpd::jsonrpc
