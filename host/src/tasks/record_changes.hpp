#pragma once
// The rules of task_store.hpp that do not depend on where records live, so
// that the memory and the Redis store apply exactly the same ones.
#include <cstdint>
#include <optional>
#include <string_view>

#include "tasks/task_store.hpp"

namespace mcpd::tasks {

// Task ids come from clients (tasks/get {taskId}) and end up in Redis key
// names, where "x:answers" would name another task's hash. An id that is
// empty, longer than 128 bytes or holds anything but [A-Za-z0-9._-] is
// therefore unknown to every store, and create() refuses it (as it refuses
// such an instance name) with std::invalid_argument.
bool is_valid_store_name(std::string_view name);
void check_record_names(const TaskRecord& record);

// change_status on a record that is not terminal: the fields `change` sets,
// the keys of change.input_requests appended to used_input_keys (once each),
// last_updated_at_ms = now_ms.
void apply_status_change(TaskRecord& record, const StatusChange& change, std::int64_t now_ms);

// cancel on a record that is not terminal.
void apply_cancel(TaskRecord& record, std::string_view message, std::int64_t now_ms);

// Of `responses`, those a store keeps: the task is not terminal, the key is
// outstanding in input_requests, and no answer to it is already waiting in
// `waiting` (the first answer to a key wins; later ones are "answered keys",
// which the extension says to ignore).
boost::json::object acceptable_answers(const TaskRecord& record, const boost::json::object& responses,
                                       const boost::json::object& waiting);

// take_input_responses: the keys of `taken` leave input_requests.
void remove_answered(TaskRecord& record, const boost::json::object& taken);

// How long a record lives after a write: ttl_ms, at least 1 ms (a zero TTL
// would mean "forever" to some APIs and "refuse" to others); nullopt: forever.
std::optional<std::int64_t> retention_ms(const TaskRecord& record);

}  // namespace mcpd::tasks
