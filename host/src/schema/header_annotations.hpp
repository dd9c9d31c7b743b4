#pragma once
// "x-mcp-header" in a tool's inputSchema (MCP 2026-07-28, SEP-2243): a
// property so annotated also travels as the HTTP header Mcp-Param-<Name>.
// Clients drop a tool whose annotations are invalid, so the host refuses such
// a tool when its plugin registers it, saying what is wrong.
#include <boost/json/value.hpp>
#include <optional>
#include <string>

namespace mcpd::schema {

// nullopt when every annotation is valid: only on properties reached from the
// root through "properties" alone (not under items, $defs, anyOf, if, ...);
// only on "string", "integer" or "boolean" properties (never "number"); a
// non-empty HTTP token (RFC 9110 tchar); unique without regard to case.
std::optional<std::string> check_header_annotations(const boost::json::value& input_schema);

}  // namespace mcpd::schema
