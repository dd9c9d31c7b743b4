// An incremental text/event-stream parser for the HTTP end-to-end tests: it
// keeps every event block, including the priming event (an id with empty
// data) that EventSource itself would not dispatch, because the tests assert
// on exactly what the server wrote.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd_http_test {

struct SseEvent {
  std::string id;    // empty when the block had no id field
  std::string data;  // data lines joined with '\n'
  std::optional<long> retry;
  bool has_data = false;
};

class SseParser {
 public:
  // Feeds a chunk; returns the events it completed.
  std::vector<SseEvent> feed(std::string_view chunk);
  // Comment lines seen so far (": keep-alive").
  std::size_t comments() const { return comments_; }

 private:
  void line(std::string_view text, std::vector<SseEvent>& out);

  std::string pending_;
  SseEvent current_;
  bool started_ = false;
  std::size_t comments_ = 0;
};

// Parses a whole body.
std::vector<SseEvent> parse_sse(std::string_view body);

}  // namespace mcpd_http_test
