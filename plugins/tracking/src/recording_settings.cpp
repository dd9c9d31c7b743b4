#include "recording_settings.hpp"

#include <cstdint>

namespace mcpd::tracking {
namespace {

std::optional<std::int64_t> integer_setting(const boost::json::object& config, std::string_view key,
                                            std::int64_t lowest, std::int64_t highest,
                                            std::vector<std::string>& problems,
                                            std::string_view section = {}) {
  const boost::json::object* group = &config;
  if (!section.empty()) {
    const auto* found = config.if_contains(section);
    if (found == nullptr || !found->is_object()) return std::nullopt;
    group = &found->get_object();
  }
  const auto* value = group->if_contains(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  std::optional<std::int64_t> number;
  if (value->is_int64()) number = value->get_int64();
  if (value->is_uint64() && value->get_uint64() <= static_cast<std::uint64_t>(highest))
    number = static_cast<std::int64_t>(value->get_uint64());
  if (number && *number >= lowest && *number <= highest) return number;
  problems.push_back("plugin_config.tracking." + (section.empty() ? "" : std::string(section) + ".") +
                     std::string(key) + " must be an integer between " + std::to_string(lowest) + " and " +
                     std::to_string(highest) + "; using the default");
  return std::nullopt;
}

}  // namespace

recording_settings recording_settings::from_config(const boost::json::object& config) {
  recording_settings settings;
  if (const auto* dirs = config.if_contains("local_video_dirs"); dirs != nullptr && dirs->is_array()) {
    for (const auto& dir : dirs->get_array()) {
      if (dir.is_string() && !dir.get_string().empty())
        settings.local_video_dirs.emplace_back(dir.get_string());
    }
  }
  if (const auto* rules = config.if_contains("redact_rules")) {
    settings.redactions = frames::parse_redaction_rules(*rules, "plugin_config.tracking.redact_rules",
                                                        settings.redaction_problems);
  }
  if (const auto* instances = config.if_contains("instances");
      instances != nullptr && instances->is_object()) {
    for (const auto& [name, instance] : instances->get_object()) {
      if (!instance.is_object()) continue;
      const auto* rules = instance.get_object().if_contains("redact_rules");
      if (rules == nullptr) continue;
      settings.instance_redactions[std::string(name)] = frames::parse_redaction_rules(
          *rules, "plugin_config.tracking.instances." + std::string(name) + ".redact_rules",
          settings.redaction_problems);
    }
  }
  if (auto cap = integer_setting(config, "max_frames_cap", 1, 10'000, settings.problems))
    settings.max_frames_cap = static_cast<std::size_t>(*cap);
  if (auto cap = integer_setting(config, "max_response_bytes", 65'536, INT64_MAX, settings.problems))
    settings.max_response_bytes = static_cast<std::size_t>(*cap);
  using std::chrono::milliseconds;
  if (auto v = integer_setting(config, "timeout_ms", 1000, 7'200'000, settings.problems, "exports"))
    settings.exports.timeout = milliseconds(*v);
  if (auto v = integer_setting(config, "poll_interval_ms", 100, 60'000, settings.problems, "exports"))
    settings.exports.poll_interval = milliseconds(*v);
  if (auto v = integer_setting(config, "max_video_bytes", 1'048'576, INT64_MAX, settings.problems, "exports"))
    settings.exports.max_video_bytes = static_cast<std::uint64_t>(*v);
  if (auto v = integer_setting(config, "max_bytes", 0, INT64_MAX, settings.problems, "video_cache"))
    settings.video_cache_max_bytes = static_cast<std::uint64_t>(*v);
  if (const auto* cache = config.if_contains("video_cache"); cache != nullptr && cache->is_object()) {
    if (const auto* dir = cache->get_object().if_contains("dir"); dir != nullptr && dir->is_string())
      settings.video_cache_dir = std::string(dir->get_string());
  }
  return settings;
}

}  // namespace mcpd::tracking
