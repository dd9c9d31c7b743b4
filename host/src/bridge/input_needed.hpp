#pragma once
// What a handler asks the client for instead of answering (ABI 1.2's
// callback_require_input): the requests, keyed as the handler chose, and the
// state it needs to carry on when it is called again with the answers.
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace mcpd::bridge {

struct InputNeeded {
  boost::json::object requests;  // key -> {"method": ..., "params": {...}}
  std::string state;             // the handler's, byte for byte
  bool confidential = false;     // the state must be encrypted, not only signed, on a trip through the client
};

inline constexpr std::size_t kMaxInputRequests = 16;
inline constexpr std::size_t kMaxInputKeyBytes = 64;
inline constexpr std::size_t kMaxInputStateBytes = 64 * 1024;

// The client capability an input request needs ("elicitation", "sampling", "roots"); "" for a method
// that is not one of the three a server may ask for.
std::string_view capability_for_input(std::string_view method);

// Checks the requests a handler passed; the problem as a sentence, or nullopt when they are fine.
std::optional<std::string> check_input_requests(const boost::json::object& requests);

// The capabilities `requests` need that `client_capabilities` does not declare, as a ClientCapabilities
// object ({} when nothing is missing).
boost::json::object missing_input_capabilities(const boost::json::object& requests,
                                               const boost::json::object& client_capabilities);

}  // namespace mcpd::bridge
