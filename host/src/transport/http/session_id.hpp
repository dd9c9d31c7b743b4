#pragma once
// Mcp-Session-Id values: 128 bits from OpenSSL's CSPRNG, as 32 lowercase hex
// digits (visible ASCII, as the spec requires), so ids cannot be guessed.
#include <string>
#include <string_view>

namespace mcpd::transport::http {

// `prefix` (http.session_id_prefix) goes in front, so a load balancer can
// route a session's requests to the instance that holds it. Throws
// std::runtime_error when the CSPRNG cannot deliver (never a weak id).
std::string new_session_id(std::string_view prefix = {});

// The first 8 digits: enough to correlate log lines, too little to hijack
// the session with (a full id is a credential and is never logged).
std::string loggable_session_id(std::string_view id);

}  // namespace mcpd::transport::http
