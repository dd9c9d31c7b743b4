#include "recording_fields.hpp"

#include <cmath>
#include <cstdint>

#include "../util/json_access.hpp"
#include "../util/timestamps.hpp"

namespace mcpd::tracking {
namespace {

using json_access::number_of;

std::optional<utc_millis> time_of(const boost::json::value* v) {
  if (v == nullptr || !v->is_string()) return std::nullopt;
  const auto text = v->get_string();
  return parse_iso8601_with_zone(std::string_view(text.data(), text.size()));
}

void copy_count(const boost::json::object& from, std::string_view key, boost::json::object& to) {
  if (const auto n = number_of(from.if_contains(key)); n && *n >= 0) to[key] = static_cast<std::int64_t>(*n);
}

}  // namespace

std::optional<boost::json::object> recording_from_api(const boost::json::value& entry) {
  if (!entry.is_object()) return std::nullopt;
  const auto& api = entry.get_object();
  const auto* id = api.if_contains("id");
  const auto start = time_of(api.if_contains("start_time"));
  if (id == nullptr || !id->is_string() || id->get_string().empty() || !start) return std::nullopt;

  // The recording id is the session's id; the prototype called it session_id too.
  boost::json::object recording{
      {"id", id->get_string()}, {"session_id", id->get_string()}, {"start", format_iso8601(*start)}};
  if (const auto* distinct_id = api.if_contains("distinct_id");
      distinct_id != nullptr && distinct_id->is_string()) {
    recording["distinct_id"] = distinct_id->get_string();
  }
  if (const auto end = time_of(api.if_contains("end_time"))) recording["end"] = format_iso8601(*end);
  if (const auto seconds = number_of(api.if_contains("recording_duration")); seconds && *seconds >= 0) {
    recording["duration_ms"] = static_cast<std::int64_t>(std::llround(*seconds * 1000.0));
  }
  if (const auto seconds = number_of(api.if_contains("active_seconds")); seconds && *seconds >= 0) {
    recording["active_ms"] = static_cast<std::int64_t>(std::llround(*seconds * 1000.0));
  }
  copy_count(api, "click_count", recording);
  copy_count(api, "keypress_count", recording);
  copy_count(api, "console_error_count", recording);
  if (const auto* url = api.if_contains("start_url"); url != nullptr && url->is_string()) {
    recording["start_url"] = url->get_string();
  }
  if (const auto* ongoing = api.if_contains("ongoing"); ongoing != nullptr && ongoing->is_bool()) {
    recording["ongoing"] = ongoing->get_bool();
  }
  return recording;
}

}  // namespace mcpd::tracking
