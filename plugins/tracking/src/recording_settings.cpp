#include "recording_settings.hpp"

#include "util/integer_setting.hpp"

#include <cstdint>

namespace mcpd::tracking {

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
  if (auto cap = integer_setting(config, "max_frames_cap", 1, 10'000, "plugin_config.tracking.max_frames_cap",
                                 settings.problems))
    settings.max_frames_cap = static_cast<std::size_t>(*cap);
  if (auto cap = integer_setting(config, "max_response_bytes", 65'536, INT64_MAX,
                                 "plugin_config.tracking.max_response_bytes", settings.problems))
    settings.max_response_bytes = static_cast<std::size_t>(*cap);
  if (auto cap = integer_setting(config, "max_frame_pixels", 65'536, std::int64_t{16384} * 16384,
                                 "plugin_config.tracking.max_frame_pixels", settings.problems))
    settings.max_frame_pixels = *cap;
  using std::chrono::milliseconds;
  if (auto v = section_integer_setting(config, "exports", "timeout_ms", 1000, 7'200'000, settings.problems))
    settings.exports.timeout = milliseconds(*v);
  if (auto v = section_integer_setting(config, "exports", "poll_interval_ms", 100, 60'000, settings.problems))
    settings.exports.poll_interval = milliseconds(*v);
  if (auto v = section_integer_setting(config, "exports", "max_video_bytes", 1'048'576, INT64_MAX,
                                       settings.problems))
    settings.exports.max_video_bytes = static_cast<std::uint64_t>(*v);
  if (auto v = section_integer_setting(config, "video_cache", "max_bytes", 0, INT64_MAX, settings.problems))
    settings.video_cache_max_bytes = static_cast<std::uint64_t>(*v);
  if (const auto* cache = config.if_contains("video_cache"); cache != nullptr && cache->is_object()) {
    if (const auto* dir = cache->get_object().if_contains("dir"); dir != nullptr && dir->is_string())
      settings.video_cache_dir = std::string(dir->get_string());
  }
  return settings;
}

}  // namespace mcpd::tracking
