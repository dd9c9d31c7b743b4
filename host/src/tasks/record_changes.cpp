#include "tasks/record_changes.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace mcpd::tasks {

bool is_valid_store_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

void check_record_names(const TaskRecord& record) {
  if (!is_valid_store_name(record.id)) {
    throw std::invalid_argument("task id \"" + record.id + "\" is not 1-128 characters of [A-Za-z0-9._-]");
  }
  if (!is_valid_store_name(record.instance)) {
    throw std::invalid_argument("instance name \"" + record.instance +
                                "\" is not 1-128 characters of [A-Za-z0-9._-]");
  }
}

void apply_status_change(TaskRecord& record, const StatusChange& change, std::int64_t now_ms) {
  record.status = change.status;
  if (change.status_message) record.status_message = *change.status_message;
  if (change.input_requests) {
    record.input_requests = *change.input_requests;
    for (const auto& request : *change.input_requests) {
      const std::string key(request.key());
      auto& used = record.used_input_keys;
      if (std::find(used.begin(), used.end(), key) == used.end()) used.push_back(key);
    }
  }
  if (change.result) record.result = *change.result;
  if (change.error) record.error = *change.error;
  if (change.poll_interval_ms) record.poll_interval_ms = *change.poll_interval_ms;
  record.last_updated_at_ms = now_ms;
}

void apply_cancel(TaskRecord& record, std::string_view message, std::int64_t now_ms) {
  record.cancel_requested = true;
  record.status = Status::cancelled;
  record.status_message = std::string(message);
  record.last_updated_at_ms = now_ms;
}

boost::json::object acceptable_answers(const TaskRecord& record, const boost::json::object& responses,
                                       const boost::json::object& waiting) {
  boost::json::object kept;
  if (is_terminal(record.status)) return kept;
  for (const auto& response : responses) {
    if (record.input_requests.contains(response.key()) && !waiting.contains(response.key())) {
      kept[response.key()] = response.value();
    }
  }
  return kept;
}

void remove_answered(TaskRecord& record, const boost::json::object& taken) {
  for (const auto& answer : taken) record.input_requests.erase(answer.key());
}

std::optional<std::int64_t> retention_ms(const TaskRecord& record) {
  if (!record.ttl_ms) return std::nullopt;
  return std::max<std::int64_t>(*record.ttl_ms, 1);
}

}  // namespace mcpd::tasks
