#ifndef MCPD_SDK_JSON_PRETTY_HPP
#define MCPD_SDK_JSON_PRETTY_HPP
// JSON text laid out for people: what `mcpd plugin inspect` and `mcpd plugin list` print. The same
// spellings as to_json_text (json_serialize.hpp), one member or element per line.
#include <boost/json.hpp>
#include <cstddef>
#include <string>

#include "mcpd/sdk/json_serialize.hpp"

namespace mcpd::sdk {

namespace detail {

// Each member and element on its own line, indented by `indent` spaces per level; empty objects and
// arrays stay {} and [].
inline void append_pretty_json_text(std::string& out, const boost::json::value& value, std::size_t indent,
                                    std::size_t depth) {
  const auto new_line = [&](std::size_t level) {
    out.push_back('\n');
    out.append(level * indent, ' ');
  };
  if (const auto* object = value.if_object(); object != nullptr && !object->empty()) {
    out.push_back('{');
    bool first = true;
    for (const auto& member : *object) {
      if (!first) out.push_back(',');
      first = false;
      new_line(depth + 1);
      append_json_string(out, member.key());
      out.append(": ");
      append_pretty_json_text(out, member.value(), indent, depth + 1);
    }
    new_line(depth);
    out.push_back('}');
  } else if (const auto* array = value.if_array(); array != nullptr && !array->empty()) {
    out.push_back('[');
    bool first = true;
    for (const auto& element : *array) {
      if (!first) out.push_back(',');
      first = false;
      new_line(depth + 1);
      append_pretty_json_text(out, element, indent, depth + 1);
    }
    new_line(depth);
    out.push_back(']');
  } else {
    append_json_text(out, value);
  }
}

}  // namespace detail

/// `value` as JSON text for people: one member or element per line, `indent` spaces per level, doubles
/// as in to_json_text.
inline std::string to_pretty_json_text(const boost::json::value& value, std::size_t indent = 2) {
  std::string out;
  detail::append_pretty_json_text(out, value, indent, 0);
  return out;
}

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_JSON_PRETTY_HPP
