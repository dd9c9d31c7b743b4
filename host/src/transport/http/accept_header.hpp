#pragma once
// What a client's Accept header lets the server answer with.
#include <string_view>

namespace mcpd::transport::http {

struct Acceptable {
  bool json = false;  // application/json
  bool sse = false;   // text/event-stream
};

// Media ranges with wildcards count ("*/*", "text/*"); q=0 excludes. A
// missing or empty header accepts everything (RFC 9110).
Acceptable parse_accept(std::string_view header);

// Content-Type application/json, with or without parameters such as charset.
bool is_json_content_type(std::string_view header);

}  // namespace mcpd::transport::http
