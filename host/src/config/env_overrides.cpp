#include "config/env_overrides.hpp"

#include "config/json_text.hpp"
#include "schema/json_values.hpp"

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

#include <cstdint>
#include <limits>
#include <vector>

namespace mcpd::config::detail {
namespace json = boost::json;

namespace {

std::string subject(const EnvOverride& row) {
  return "environment variable " + std::string(row.variable);
}

std::string shown(const EnvOverride& row, const std::string& value) {
  if (row.secret) return "a value (hidden, it is a secret)";
  return schema::detail::describe_value(json::value(json::string_view(value)));
}

json::value parse_count(const EnvOverride& row, const std::string& text) {
  std::uint64_t n = 0;
  bool digits_only = !text.empty();
  for (const char c : text) {
    if (c < '0' || c > '9') {
      digits_only = false;
      break;
    }
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (n > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
      throw ConfigError(subject(row) + " is too large, got " + shown(row, text));
    }
    n = n * 10 + digit;
  }
  if (!digits_only) throw ConfigError(subject(row) + " must be a positive integer, got " + shown(row, text));
  return json::value(n);
}

json::value split_list(const std::string& text) {
  json::array items;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(':', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) items.emplace_back(json::string_view(text.data() + start, end - start));
    start = end + 1;
  }
  return items;
}

json::value parse_json_array(const EnvOverride& row, const std::string& text) {
  // A secret JSON variable would need its parse errors without position hints too; none exists today.
  json::value parsed = parse_json_text(text, subject(row));
  if (!parsed.is_array()) {
    throw ConfigError(subject(row) + " must be a JSON array, got " + schema::detail::describe_value(parsed));
  }
  return parsed;
}

json::value parse_boolean(const EnvOverride& row, const std::string& text) {
  std::string lower;
  for (const char c : text) lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") return json::value(true);
  if (lower == "false" || lower == "0" || lower == "no" || lower == "off") return json::value(false);
  throw ConfigError(subject(row) + " must be true or false (also 1/0, yes/no, on/off), got " +
                    shown(row, text));
}

json::value convert(const EnvOverride& row, const std::string& text) {
  switch (row.kind) {
    case EnvValueKind::kCount:
      return parse_count(row, text);
    case EnvValueKind::kPathList:
      return split_list(text);
    case EnvValueKind::kJsonArray:
      return parse_json_array(row, text);
    case EnvValueKind::kBoolean:
      return parse_boolean(row, text);
    case EnvValueKind::kText:
      break;
  }
  return json::value(json::string_view(text));
}

std::vector<std::string_view> split_setting(std::string_view setting) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t dot = setting.find('.'); dot != std::string_view::npos; dot = setting.find('.', start)) {
    parts.push_back(setting.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(setting.substr(start));
  return parts;
}

void store(json::object& document, const EnvOverride& row, json::value value, std::string_view origin) {
  const auto parts = split_setting(row.setting);
  json::object* parent = &document;
  std::string walked;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    walked += (walked.empty() ? "" : ".") + std::string(parts[i]);
    json::value& next = (*parent)[parts[i]];
    if (next.is_null()) next = json::object();
    if (!next.is_object()) {
      throw ConfigError("cannot apply " + subject(row) + ": in " + std::string(origin) + ", " + walked +
                        " must be an object, got " + schema::detail::describe_hidden_value(next));
    }
    parent = &next.get_object();
  }
  (*parent)[parts.back()] = std::move(value);
}

}  // namespace

OverrideOrigins apply_env_overrides(json::object& document, const Environment& env, std::string_view origin) {
  OverrideOrigins origins;
  for (const auto& row : kEnvOverrides) {
    const std::optional<std::string> text = env(row.variable);
    if (!text || text->empty()) continue;
    store(document, row, convert(row, *text), origin);
    origins.emplace(std::string(row.setting), std::string(row.variable));
  }
  return origins;
}

}  // namespace mcpd::config::detail
