// One reader for the plugin's integer settings (retry, capture, recordings, per-instance limits), so every
// one of them accepts the same JSON and reports a bad value the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

namespace mcpd::tracking {

// group[key] when it is an integer in [lowest, highest]. nullopt when it is absent or null (the caller keeps
// its default), and also when it is anything else, after adding "<path> must be an integer between ...;
// using the default" to `problems`. `path` is the setting's full name, e.g. plugin_config.tracking.retry.
inline std::optional<std::int64_t> integer_setting(const boost::json::object& group, std::string_view key,
                                                   std::int64_t lowest, std::int64_t highest,
                                                   std::string_view path,
                                                   std::vector<std::string>& problems) {
  const auto* value = group.if_contains(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  std::optional<std::int64_t> number;
  if (value->is_int64()) number = value->get_int64();
  if (value->is_uint64() && value->get_uint64() <= static_cast<std::uint64_t>(highest))
    number = static_cast<std::int64_t>(value->get_uint64());
  if (number && *number >= lowest && *number <= highest) return number;
  problems.push_back(std::string(path) + " must be an integer between " + std::to_string(lowest) + " and " +
                     std::to_string(highest) + "; using the default");
  return std::nullopt;
}

// The same for plugin_config.tracking.<section>.<key>; nullopt when the section is absent or not an object.
inline std::optional<std::int64_t> section_integer_setting(const boost::json::object& config,
                                                           std::string_view section, std::string_view key,
                                                           std::int64_t lowest, std::int64_t highest,
                                                           std::vector<std::string>& problems) {
  const auto* group = config.if_contains(section);
  if (group == nullptr || !group->is_object()) return std::nullopt;
  return integer_setting(group->get_object(), key, lowest, highest,
                         "plugin_config.tracking." + std::string(section) + "." + std::string(key), problems);
}

}  // namespace mcpd::tracking
