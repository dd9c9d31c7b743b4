#pragma once
// The HTTP headers of a 2026-07-28 request (SEP-2243): MCP-Protocol-Version,
// Mcp-Method and Mcp-Name repeat what the body says, so gateways can route
// without reading it, and a tool's parameters annotated with "x-mcp-header"
// travel as Mcp-Param-<Name> too. The server checks that both agree: a
// gateway that routed on a header the body contradicts would have been lied
// to. Values are trimmed of optional whitespace, and "=?base64?...?=" values
// are decoded before they are compared. Pure functions over a header lookup,
// so each rule is unit-testable.
#include <boost/json.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/era.hpp"

namespace mcpd::transport::http {

// The value of a header by name (case-insensitive), as received; nullopt when absent.
using HeaderLookup = std::function<std::optional<std::string>(std::string_view name)>;

// A header value as the revision reads it: optional whitespace trimmed, a
// "=?base64?<b64>?=" value decoded. nullopt: the value is not acceptable
// (a control character, or the base64 inside the sentinel is malformed).
std::optional<std::string> header_value(std::string_view raw);

// The value Mcp-Name must carry for `method` (params.name, params.uri or
// params.taskId); nullopt when the method has none or the body lacks it.
std::optional<std::string> expected_name(std::string_view method, const boost::json::object& params);

// Stage one, before the version is checked: each header that is present must
// match the body (-32020). A mismatch wins over an unsupported version.
std::optional<protocol::EnvelopeError> mismatched_headers(const HeaderLookup& headers,
                                                          std::string_view method,
                                                          const boost::json::object& params,
                                                          std::string_view body_version);
// Stage two, once the method is known: the headers the request must carry
// are there (-32020).
std::optional<protocol::EnvelopeError> missing_headers(const HeaderLookup& headers, std::string_view method,
                                                       const boost::json::object& params);
// tools/call: every argument whose property in `input_schema` carries
// "x-mcp-header" and has a non-null value in the body arrives as
// Mcp-Param-<Name> with the same value (-32020 when missing, different or
// malformed).
std::optional<protocol::EnvelopeError> mismatched_param_headers(const HeaderLookup& headers,
                                                                const boost::json::object& input_schema,
                                                                const boost::json::value& arguments);

}  // namespace mcpd::transport::http
