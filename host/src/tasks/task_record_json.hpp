#pragma once
// A TaskRecord as JSON text: the form a shared store (Redis) keeps, so that
// every instance of a fleet reads what any other wrote. Field names are the
// members' names; absent optionals are left out (ttl_ms: null = unlimited).
#include <string>
#include <string_view>

#include "tasks/task_store.hpp"

namespace mcpd::tasks {

std::string task_record_to_json(const TaskRecord& record);

// Throws std::runtime_error naming the first field that is missing or of the
// wrong type (a record written by something else than mcpd).
TaskRecord task_record_from_json(std::string_view text);

}  // namespace mcpd::tasks
