#pragma once
// Serves a handler's input requests (callback_require_input) through the
// call's client channel and calls it again with the answers, until it
// answers. For callers that cannot hand the requests to the client
// themselves: a legacy client (the host sends the requests, as it always did
// for the blocking callback_client_request) and a nested call (its requests go
// the way the outer call's would).
#include <boost/json.hpp>
#include <functional>
#include <optional>

#include "bridge/call_context.hpp"

namespace mcpd::bridge {

// One round of a handler: runs it on `scope` (which carries the answers and state of the previous
// round) and returns its result, or an empty object with scope.take_input_needed() set.
using HandlerRound = std::function<boost::json::object(CallScope& scope)>;

enum class RoundKind { tool, other };  // how a failure to get input is reported: isError result, or -32603

inline constexpr int kMaxInputRounds = 16;

boost::json::object run_answering_input(CallScope& scope, RoundKind kind, const HandlerRound& round);

// One round's worth: sends each of `input`'s requests through the scope's channel and gives the scope
// the answers and state for the next round. The result to answer with instead when that fails (an
// isError result for a tool; for others it throws RpcError -32603); nullopt when the handler may run again.
std::optional<boost::json::object> answer_through_channel(CallScope& scope, RoundKind kind, InputNeeded& input);

}  // namespace mcpd::bridge
