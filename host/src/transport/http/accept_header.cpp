#include "transport/http/accept_header.hpp"

#include <cctype>
#include <string>

namespace mcpd::transport::http {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lowercase(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

// "q=0", "q=0.0", "q=0.000" reject the range.
bool zero_quality(std::string_view params) {
  std::size_t pos = 0;
  while (pos < params.size()) {
    std::size_t end = params.find(';', pos);
    if (end == std::string_view::npos) end = params.size();
    std::string_view param = trim(params.substr(pos, end - pos));
    if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      std::string_view value = param.substr(2);
      return !value.empty() && value.find_first_not_of("0.") == std::string_view::npos;
    }
    pos = end + 1;
  }
  return false;
}

}  // namespace

Acceptable parse_accept(std::string_view header) {
  if (trim(header).empty()) return {true, true};
  Acceptable out;
  std::size_t pos = 0;
  while (pos <= header.size()) {
    std::size_t end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view range = trim(header.substr(pos, end - pos));
    std::string_view params;
    if (auto semi = range.find(';'); semi != std::string_view::npos) {
      params = range.substr(semi + 1);
      range = trim(range.substr(0, semi));
    }
    if (!range.empty() && !zero_quality(params)) {
      const std::string type = lowercase(range);
      if (type == "*/*") out.json = out.sse = true;
      if (type == "application/json" || type == "application/*") out.json = true;
      if (type == "text/event-stream" || type == "text/*") out.sse = true;
    }
    pos = end + 1;
  }
  return out;
}

bool is_json_content_type(std::string_view header) {
  std::string_view type = header.substr(0, header.find(';'));
  return lowercase(trim(type)) == "application/json";
}

}  // namespace mcpd::transport::http
