#pragma once
// Writes an EventStream to one HTTP response as text/event-stream, through
// cpp-httplib's chunked content provider: the priming event, each event with
// its id, keep-alive comments while nothing happens, and the end of the
// response once the stream's response was written (or the server chose to
// close the connection early, leaving the rest for a Last-Event-ID GET).
#include <httplib.h>

#include <chrono>
#include <functional>
#include <memory>

#include "transport/http/http_session.hpp"

namespace mcpd::transport::http {

struct SseOptions {
  bool priming = false;  // send "id: <stream>-<after_seq>" with empty data first
  std::chrono::milliseconds retry{1000};
  std::chrono::milliseconds keepalive{15000};
  std::chrono::milliseconds close_after{0};  // 0: keep the connection until the stream ends
  // Number the events ("id:" lines) so a client can resume; a 2026-07-28
  // stream is never resumed, so it carries none.
  bool event_ids = true;
  // Runs when the response is over, however it ended (the connection may be gone).
  std::function<void()> on_finished;
};

void write_event_stream(httplib::Response& res, std::shared_ptr<HttpSession> session,
                        HttpSession::Reader reader, SseOptions options);

}  // namespace mcpd::transport::http
