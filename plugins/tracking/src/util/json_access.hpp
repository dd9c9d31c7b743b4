// Lenient reads of PostHog's JSON: upstream documents omit keys, send null, or change a number's kind
// (integer in one answer, float in the next), and none of that should be an error where a default is fine.
#pragma once

#include <optional>

#include <boost/json.hpp>

namespace mcpd::tracking::json_access {

// The object `v` points at, or an empty one when it is absent or not an object.
inline const boost::json::object& object_or_empty(const boost::json::value* v) {
  static const boost::json::object empty;
  return v != nullptr && v->is_object() ? v->get_object() : empty;
}

// The array `v` points at, or an empty one when it is absent or not an array.
inline const boost::json::array& array_or_empty(const boost::json::value* v) {
  static const boost::json::array empty;
  return v != nullptr && v->is_array() ? v->get_array() : empty;
}

// Any JSON number as a double; nullopt for anything else.
inline std::optional<double> number_of(const boost::json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (v->is_double()) return v->get_double();
  return std::nullopt;
}

// A feature flag payload. PostHog stores payloads as JSON text (in definitions and in /flags answers);
// the caller gets the value that text holds, or the value as sent when it is not JSON text. nullopt for
// absent or null.
inline std::optional<boost::json::value> flag_payload(const boost::json::value* payload) {
  if (payload == nullptr || payload->is_null()) return std::nullopt;
  if (payload->is_string()) {
    boost::system::error_code ec;
    auto parsed = boost::json::parse(payload->get_string(), ec);
    if (!ec) return parsed;
  }
  return *payload;
}

}  // namespace mcpd::tracking::json_access
