#pragma once
// HTTP answers with JSON-RPC bodies: every refusal of the transport says, in
// a JSON-RPC error object a client can show, what was wrong and how to fix it.
#include <httplib.h>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace mcpd::transport::http {

// JSON-RPC code for refusals that are about the transport, not the message.
inline constexpr int kTransportError = -32000;

// Sets `status` and `body` as an application/json answer. The body is moved, not copied: an answer can
// be megabytes, and httplib's set_content would copy it once more.
void reply_json(httplib::Response& res, int status, std::string body);

// Sets `status` and a JSON-RPC error body ({"jsonrpc":"2.0","id":...,"error":{...}}).
void reply_error(httplib::Response& res, int status, int code, std::string_view message,
                 const boost::json::value& id = nullptr, const boost::json::value& data = nullptr);

// A header value quoted for a message, shortened and stripped of control characters.
std::string quoted_header(std::string_view value);

}  // namespace mcpd::transport::http
