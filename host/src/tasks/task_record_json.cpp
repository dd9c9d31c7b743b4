#include "tasks/task_record_json.hpp"

#include <cstdint>
#include <limits>
#include <stdexcept>

namespace mcpd::tasks {
namespace json = boost::json;
namespace {

[[noreturn]] void malformed(std::string_view field, std::string_view problem) {
  throw std::runtime_error("malformed task record: \"" + std::string(field) + "\" " + std::string(problem));
}

const json::value& field(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr) malformed(name, "is missing");
  return *value;
}

std::string string_field(const json::object& object, std::string_view name) {
  const auto& value = field(object, name);
  if (!value.is_string()) malformed(name, "is not a string");
  return std::string(value.get_string());
}

std::int64_t integer_field(const json::object& object, std::string_view name) {
  const auto& value = field(object, name);
  if (value.is_int64()) return value.get_int64();
  if (value.is_uint64() &&
      value.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return static_cast<std::int64_t>(value.get_uint64());
  }
  malformed(name, "is not an integer");
}

std::optional<json::object> optional_object(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_object()) malformed(name, "is not an object");
  return value->get_object();
}

}  // namespace

std::string task_record_to_json(const TaskRecord& record) {
  json::array used;
  for (const auto& key : record.used_input_keys) used.emplace_back(key);
  json::object object{
      {"id", record.id},
      {"owner", record.owner},
      {"instance", record.instance},
      {"tool", record.tool},
      {"status", status_name(record.status)},
      {"status_message", record.status_message},
      {"created_at_ms", record.created_at_ms},
      {"last_updated_at_ms", record.last_updated_at_ms},
      {"ttl_ms", record.ttl_ms ? json::value(*record.ttl_ms) : json::value(nullptr)},
      {"poll_interval_ms", record.poll_interval_ms},
      {"input_requests", record.input_requests},
      {"used_input_keys", std::move(used)},
      {"cancel_requested", record.cancel_requested},
  };
  if (record.result) object["result"] = *record.result;
  if (record.error) object["error"] = *record.error;
  return json::serialize(object);
}

TaskRecord task_record_from_json(std::string_view text) {
  boost::system::error_code error;
  const json::value parsed = json::parse(text, error);
  if (error) throw std::runtime_error("malformed task record: not JSON (" + error.message() + ")");
  if (!parsed.is_object()) throw std::runtime_error("malformed task record: not a JSON object");
  const auto& object = parsed.get_object();

  TaskRecord record;
  record.id = string_field(object, "id");
  record.owner = string_field(object, "owner");
  record.instance = string_field(object, "instance");
  record.tool = string_field(object, "tool");
  const auto status = parse_status(string_field(object, "status"));
  if (!status) malformed("status", "is not a task status");
  record.status = *status;
  record.status_message = string_field(object, "status_message");
  record.created_at_ms = integer_field(object, "created_at_ms");
  record.last_updated_at_ms = integer_field(object, "last_updated_at_ms");
  if (!field(object, "ttl_ms").is_null()) record.ttl_ms = integer_field(object, "ttl_ms");
  record.poll_interval_ms = integer_field(object, "poll_interval_ms");
  record.input_requests = optional_object(object, "input_requests").value_or(json::object());
  const auto& used = field(object, "used_input_keys");
  if (!used.is_array()) malformed("used_input_keys", "is not an array");
  for (const auto& key : used.get_array()) {
    if (!key.is_string()) malformed("used_input_keys", "holds something else than strings");
    record.used_input_keys.emplace_back(key.get_string());
  }
  record.result = optional_object(object, "result");
  record.error = optional_object(object, "error");
  const auto& cancel_requested = field(object, "cancel_requested");
  if (!cancel_requested.is_bool()) malformed("cancel_requested", "is not a boolean");
  record.cancel_requested = cancel_requested.get_bool();
  return record;
}

}  // namespace mcpd::tasks
