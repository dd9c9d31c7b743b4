#include "sse_parser.hpp"

#include <cstdlib>

namespace mcpd_http_test {

std::vector<SseEvent> SseParser::feed(std::string_view chunk) {
  std::vector<SseEvent> out;
  pending_.append(chunk);
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = pending_.find('\n', start);
    if (end == std::string::npos) break;
    std::string_view text(pending_.data() + start, end - start);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    line(text, out);
    start = end + 1;
  }
  pending_.erase(0, start);
  return out;
}

void SseParser::line(std::string_view text, std::vector<SseEvent>& out) {
  if (text.empty()) {
    if (started_) out.push_back(std::move(current_));
    current_ = SseEvent{};
    started_ = false;
    return;
  }
  if (text.front() == ':') {
    ++comments_;
    return;
  }
  const auto colon = text.find(':');
  const std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  started_ = true;
  if (field == "id") {
    current_.id = std::string(value);
  } else if (field == "data") {
    if (current_.has_data) current_.data.push_back('\n');
    current_.data.append(value);
    current_.has_data = true;
  } else if (field == "retry") {
    current_.retry = std::strtol(std::string(value).c_str(), nullptr, 10);
  }
}

std::vector<SseEvent> parse_sse(std::string_view body) {
  SseParser parser;
  return parser.feed(body);
}

}  // namespace mcpd_http_test
