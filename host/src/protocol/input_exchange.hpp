#pragma once
// MCP 2026-07-28's multi round-trip requests, the server's side: the
// input_required result that asks the client for what a handler needs
// (requests checked against this request's capabilities, the handler's state
// sealed and bound to this request), and what the client's retry brings back
// (inputResponses checked, requestState opened).
#include <boost/json.hpp>
#include <optional>
#include <string>

#include "bridge/input_needed.hpp"
#include "jsonrpc/message.hpp"
#include "mrtr/state_seal.hpp"
#include "protocol/request_context.hpp"

namespace mcpd::protocol {

// What a state made for `request` is bound to: its method and tool/prompt/URI, a digest of its
// arguments (key order does not matter), the answering plugin's version and the caller.
mrtr::StateBinding binding_for(const jsonrpc::Request& request, const std::string& plugin_version,
                               const std::string& principal);

struct RetryInput {
  std::optional<std::string> responses_json;  // inputResponses, re-serialized
  std::optional<mrtr::SealedContent> state;   // the opened requestState
};

// Reads inputResponses and requestState of a modern request. Throws RpcError -32602 when
// inputResponses is not an object of objects or the state does not open (with the seal's reason).
RetryInput read_retry(const boost::json::object& params, mrtr::StateSeal& seal,
                      const mrtr::StateBinding& binding);

// The input_required result asking for `input`. Throws RpcError -32021 (requiredCapabilities) when a
// request needs a capability this request did not declare.
boost::json::object input_required_result(const bridge::InputNeeded& input, const RequestContext& context,
                                          const mrtr::StateSeal& seal, const mrtr::StateBinding& binding,
                                          const std::string& kind = "plugin");

// -32021 for capabilities the request lacks, as the revision words it.
[[noreturn]] void throw_missing_capabilities(const boost::json::object& required);

// Whether a request's capabilities declare the Tasks extension, and -32021 naming it when not.
bool declares_tasks(const RequestContext& context);
void require_tasks_extension(const RequestContext& context);

// JSON text with every object's keys sorted: the same value always gives the same text.
std::string canonical_json(const boost::json::value& value);

}  // namespace mcpd::protocol
