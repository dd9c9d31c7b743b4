#include "event_builder.hpp"

#include "../util/uuid_v7.hpp"

namespace mcpd::tracking {
namespace {

using boost::json::object;
using boost::json::value;

constexpr std::string_view library_name = "mcpd-tracking";
constexpr std::string_view library_version = "0.2.0";

std::string fail_prefix(std::string_view tool, std::string_view where) {
  return std::string(tool) + ": \"" + std::string(where) + "\"";
}

std::string required_string(std::string_view tool, const object& arguments, std::string_view key,
                            std::string_view where) {
  const auto* v = arguments.if_contains(key);
  if (v == nullptr || !v->is_string() || v->get_string().empty()) {
    throw invalid_event(fail_prefix(tool, where) + " is required and must be a non-empty string");
  }
  return std::string(v->get_string());
}

const object* optional_object(std::string_view tool, const object& arguments, std::string_view key,
                              std::string_view where) {
  const auto* v = arguments.if_contains(key);
  if (v == nullptr || v->is_null()) return nullptr;
  if (!v->is_object()) throw invalid_event(fail_prefix(tool, where) + " must be a JSON object");
  return &v->get_object();
}

const std::string* optional_string(std::string_view tool, const object& arguments, std::string_view key,
                                   std::string_view where, std::string& storage) {
  const auto* v = arguments.if_contains(key);
  if (v == nullptr || v->is_null()) return nullptr;
  if (!v->is_string()) throw invalid_event(fail_prefix(tool, where) + " must be a string");
  storage = std::string(v->get_string());
  return &storage;
}

// Common fields: uuid, timestamp and the library marker PostHog shows as the event's source.
object finish_event(std::string_view tool, const object& arguments, std::string_view prefix,
                    std::string event, std::string distinct_id, object properties, utc_millis now) {
  std::string storage;
  const std::string where_timestamp = std::string(prefix) + "timestamp";
  std::string timestamp;
  if (const auto* given = optional_string(tool, arguments, "timestamp", where_timestamp, storage)) {
    if (!parse_iso8601_with_zone(*given)) {
      throw invalid_event(fail_prefix(tool, where_timestamp) + " is \"" + given->substr(0, 64) + "\", not " +
                          std::string(iso8601_example));
    }
    timestamp = *given;
  } else {
    timestamp = format_iso8601(now);
  }
  const std::string where_uuid = std::string(prefix) + "uuid";
  std::string uuid;
  if (const auto* given = optional_string(tool, arguments, "uuid", where_uuid, storage)) {
    if (!is_uuid(*given)) {
      throw invalid_event(fail_prefix(tool, where_uuid) +
                          " must be a UUID such as 0190b5c6-7a3e-7c1d-9e2f-3a4b5c6d7e8f");
    }
    uuid = *given;
  } else {
    uuid = new_uuid_v7();
  }
  if (!properties.contains("$lib")) properties["$lib"] = library_name;
  if (!properties.contains("$lib_version")) properties["$lib_version"] = library_version;
  return object{{"event", std::move(event)},
                {"distinct_id", std::move(distinct_id)},
                {"properties", std::move(properties)},
                {"timestamp", std::move(timestamp)},
                {"uuid", std::move(uuid)}};
}

// "https://shop.example.com:8443/cart?x=1#top" -> host "shop.example.com:8443", path "/cart".
void add_url_parts(object& properties, std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return;
  const auto rest = url.substr(scheme_end + 3);
  const auto host_end = rest.find_first_of("/?#");
  const auto host = rest.substr(0, host_end);
  if (host.empty()) return;
  if (!properties.contains("$host")) properties["$host"] = host;
  if (!properties.contains("$pathname")) {
    std::string_view path = host_end == std::string_view::npos ? std::string_view{} : rest.substr(host_end);
    path = path.substr(0, path.find_first_of("?#"));
    properties["$pathname"] = path.empty() ? std::string_view("/") : path;
  }
}

object capture_with_prefix(std::string_view tool, const object& arguments, std::string_view prefix,
                           utc_millis now) {
  const std::string p(prefix);
  std::string event = required_string(tool, arguments, "event", p + "event");
  std::string distinct_id = required_string(tool, arguments, "distinct_id", p + "distinct_id");
  object properties;
  if (const auto* given = optional_object(tool, arguments, "properties", p + "properties"))
    properties = *given;
  return finish_event(tool, arguments, prefix, std::move(event), std::move(distinct_id),
                      std::move(properties), now);
}

}  // namespace

object capture_event(std::string_view tool, const object& arguments, utc_millis now) {
  return capture_with_prefix(tool, arguments, "", now);
}

object identify_event(std::string_view tool, const object& arguments, utc_millis now) {
  std::string distinct_id = required_string(tool, arguments, "distinct_id", "distinct_id");
  object properties;
  if (const auto* set = optional_object(tool, arguments, "set", "set")) properties["$set"] = *set;
  if (const auto* set_once = optional_object(tool, arguments, "set_once", "set_once"))
    properties["$set_once"] = *set_once;
  std::string storage;
  if (const auto* anonymous =
          optional_string(tool, arguments, "anonymous_distinct_id", "anonymous_distinct_id", storage)) {
    properties["$anon_distinct_id"] = *anonymous;
  }
  return finish_event(tool, arguments, "", "$identify", std::move(distinct_id), std::move(properties), now);
}

object pageview_event(std::string_view tool, const object& arguments, utc_millis now) {
  std::string distinct_id = required_string(tool, arguments, "distinct_id", "distinct_id");
  const std::string url = required_string(tool, arguments, "url", "url");
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    throw invalid_event(fail_prefix(tool, "url") +
                        " must be a full http(s) URL, e.g. https://example.com/pricing");
  }
  object properties;
  if (const auto* given = optional_object(tool, arguments, "properties", "properties")) properties = *given;
  properties["$current_url"] = url;
  std::string storage;
  if (const auto* title = optional_string(tool, arguments, "title", "title", storage))
    properties["$title"] = *title;
  if (const auto* referrer = optional_string(tool, arguments, "referrer", "referrer", storage))
    properties["$referrer"] = *referrer;
  add_url_parts(properties, url);
  return finish_event(tool, arguments, "", "$pageview", std::move(distinct_id), std::move(properties), now);
}

std::vector<object> batch_events(std::string_view tool, const object& arguments, utc_millis now) {
  const auto* list = arguments.if_contains("events");
  if (list == nullptr || !list->is_array() || list->get_array().empty()) {
    throw invalid_event(fail_prefix(tool, "events") + " must be a non-empty array of events");
  }
  std::vector<object> events;
  events.reserve(list->get_array().size());
  for (std::size_t i = 0; i < list->get_array().size(); ++i) {
    const std::string prefix = "events[" + std::to_string(i) + "].";
    const auto& item = list->get_array()[i];
    if (!item.is_object())
      throw invalid_event(fail_prefix(tool, "events[" + std::to_string(i) + "]") + " must be an object");
    events.push_back(capture_with_prefix(tool, item.get_object(), prefix, now));
  }
  return events;
}

}  // namespace mcpd::tracking
