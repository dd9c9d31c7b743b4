#pragma once
// The text/event-stream wire format (WHATWG HTML, "Server-sent events").
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mcpd::transport::http {

// One event: "id: <id>\n", optionally "retry: <ms>\n", one "data:" line per
// line of `data` (an empty `data` still gives one empty data line: the
// priming event), then the blank line that dispatches it.
std::string sse_event(std::string_view id, std::string_view data,
                      std::optional<std::chrono::milliseconds> retry = std::nullopt);

// Only a retry field: tells the client how long to wait before reconnecting.
std::string sse_retry(std::chrono::milliseconds retry);

// A comment line, ignored by clients; keeps idle connections (and proxies) alive.
std::string sse_comment(std::string_view text);

}  // namespace mcpd::transport::http
