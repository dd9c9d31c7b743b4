#include "transport/http/sse_format.hpp"

namespace mcpd::transport::http {

std::string sse_event(std::string_view id, std::string_view data,
                      std::optional<std::chrono::milliseconds> retry) {
  std::string out;
  out.reserve(data.size() + id.size() + 32);
  if (!id.empty()) out.append("id: ").append(id).push_back('\n');
  if (retry) out.append("retry: ").append(std::to_string(retry->count())).push_back('\n');
  // A raw newline inside data would end the field; JSON from Boost never has
  // one, but the format is kept right for any text.
  std::size_t start = 0;
  for (;;) {
    std::size_t end = data.find('\n', start);
    std::string_view line =
        data.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.append(line.empty() ? "data:" : "data: ").append(line).push_back('\n');
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  out.push_back('\n');
  return out;
}

std::string sse_retry(std::chrono::milliseconds retry) {
  return "retry: " + std::to_string(retry.count()) + "\n\n";
}

std::string sse_comment(std::string_view text) {
  return ": " + std::string(text) + "\n\n";
}

}  // namespace mcpd::transport::http
