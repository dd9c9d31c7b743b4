#include "registry/uri_template.hpp"

namespace mcpd::registry {

std::optional<UriTemplate> UriTemplate::parse(std::string_view text, std::string* error) {
  UriTemplate t;
  t.text_ = std::string(text);
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t open = text.find('{', i);
    if (open == std::string_view::npos) {
      t.parts_.push_back({false, std::string(text.substr(i))});
      break;
    }
    if (open > i) t.parts_.push_back({false, std::string(text.substr(i, open - i))});
    std::size_t close = text.find('}', open);
    if (close == std::string_view::npos || close == open + 1) {
      if (error) *error = "URI template \"" + std::string(text) + "\" has an unclosed or empty {variable}";
      return std::nullopt;
    }
    if (!t.parts_.empty() && t.parts_.back().is_variable) {
      if (error) *error = "URI template \"" + std::string(text) + "\" has two adjacent variables (ambiguous)";
      return std::nullopt;
    }
    t.parts_.push_back({true, std::string(text.substr(open + 1, close - open - 1))});
    i = close + 1;
  }
  if (t.parts_.empty()) {
    if (error) *error = "URI template is empty";
    return std::nullopt;
  }
  return t;
}

std::optional<boost::json::object> UriTemplate::match(std::string_view uri) const {
  boost::json::object vars;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < parts_.size(); ++i) {
    const Part& part = parts_[i];
    if (!part.is_variable) {
      if (uri.compare(pos, part.text.size(), part.text) != 0) return std::nullopt;
      pos += part.text.size();
      continue;
    }
    std::size_t end = uri.size();
    if (i + 1 < parts_.size()) {
      end = uri.find(parts_[i + 1].text, pos);
      if (end == std::string_view::npos) return std::nullopt;
    }
    std::string_view value = uri.substr(pos, end - pos);
    if (value.empty() || value.find('/') != std::string_view::npos) return std::nullopt;
    vars[part.text] = value;
    pos = end;
  }
  if (pos != uri.size()) return std::nullopt;
  return vars;
}

std::vector<std::string> UriTemplate::variable_names() const {
  std::vector<std::string> names;
  for (const auto& p : parts_)
    if (p.is_variable) names.push_back(p.text);
  return names;
}

}  // namespace mcpd::registry
