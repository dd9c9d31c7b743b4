// Reading tool arguments. The host has already checked them against the tool's inputSchema; these helpers
// still refuse wrong types with a message (a handler must not trust its caller), naming the argument.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "../posthog/instance_registry.hpp"

namespace mcpd::tracking::arguments {

inline std::optional<std::string> optional_string(std::string_view tool, const boost::json::object& args,
                                                  std::string_view key) {
  const auto* v = args.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string())
    throw tool_input_error(std::string(tool) + ": \"" + std::string(key) + "\" must be a string");
  return std::string(v->get_string());
}

inline std::optional<bool> optional_bool(std::string_view tool, const boost::json::object& args,
                                         std::string_view key) {
  const auto* v = args.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_bool())
    throw tool_input_error(std::string(tool) + ": \"" + std::string(key) + "\" must be true or false");
  return v->get_bool();
}

inline std::int64_t integer_or(std::string_view tool, const boost::json::object& args, std::string_view key,
                               std::int64_t fallback, std::int64_t lowest, std::int64_t highest) {
  const auto* v = args.if_contains(key);
  if (v == nullptr || v->is_null()) return fallback;
  std::optional<std::int64_t> number;
  if (v->is_int64()) number = v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(highest))
    number = static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double() && v->get_double() == static_cast<double>(static_cast<std::int64_t>(v->get_double()))) {
    number = static_cast<std::int64_t>(v->get_double());
  }
  if (!number || *number < lowest || *number > highest) {
    throw tool_input_error(std::string(tool) + ": \"" + std::string(key) + "\" must be an integer from " +
                           std::to_string(lowest) + " to " + std::to_string(highest));
  }
  return *number;
}

inline const boost::json::object* optional_object(std::string_view tool, const boost::json::object& args,
                                                  std::string_view key) {
  const auto* v = args.if_contains(key);
  if (v == nullptr || v->is_null()) return nullptr;
  if (!v->is_object())
    throw tool_input_error(std::string(tool) + ": \"" + std::string(key) + "\" must be a JSON object");
  return &v->get_object();
}

}  // namespace mcpd::tracking::arguments
