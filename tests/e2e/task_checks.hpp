// What the Tasks extension's tests share: the capability a client declares, the
// task methods, polling a task, the shape of a CreateTaskResult and the
// taskSupport a tools/list advertises.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "mcp_session.hpp"
#include "response_checks.hpp"

namespace mcpd_test {

// The clientCapabilities of a 2026-07-28 client that declares io.modelcontextprotocol/tasks.
inline const json::object kTasks{{"extensions", {{"io.modelcontextprotocol/tasks", json::object{}}}}};

// The result of tasks/get, tasks/cancel or tasks/update for `task_id`, asked as a client of the extension.
inline json::object task_method(McpSession& session, std::string_view method, const json::value& task_id,
                                json::object params = {}) {
  params["taskId"] = task_id;
  return result_of(session.request(method, modern(std::move(params), kTasks)));
}

inline json::object task_get(McpSession& session, const json::value& task_id) {
  return task_method(session, "tasks/get", task_id);
}

// The task's statusMessage; empty when it has none.
inline std::string status_message_of(const json::object& task) {
  const auto* message = task.if_contains("statusMessage");
  return message != nullptr && message->is_string() ? std::string(message->as_string()) : std::string();
}

inline bool is_terminal(const json::object& task) {
  const auto& status = task.at("status");
  return status == "completed" || status == "failed" || status == "cancelled";
}

// Polls tasks/get until `done(task)` holds; fails, showing the last answer and
// mcpd's stderr, once `limit` has passed. Every new statusMessage seen is
// appended to `messages` when one is given.
template <typename Done>
json::object poll_task(McpSession& session, const json::value& task_id, Done done,
                       std::vector<std::string>* messages = nullptr,
                       std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto task = task_get(session, task_id);
    CHECK(task.at("taskId") == task_id);
    if (auto message = status_message_of(task);
        messages != nullptr && !message.empty() && (messages->empty() || messages->back() != message))
      messages->push_back(std::move(message));
    if (done(task)) return task;
    if (std::chrono::steady_clock::now() > deadline)
      FAIL("the task did not get there in time: " << json::serialize(task) << "\n" << session.diagnostics());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Polls until the task's status is `wanted` or terminal.
inline json::object poll_until(McpSession& session, const json::value& task_id, std::string_view wanted,
                               std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  return poll_task(
      session, task_id,
      [&](const json::object& task) { return task.at("status").as_string() == wanted || is_terminal(task); }, nullptr,
      limit);
}

// The task's id (a JSON string), after checking the shape of the CreateTaskResult that made it.
inline json::value created_task_id(const json::object& created) {
  INFO(json::serialize(created));
  CHECK(created.at("resultType") == "task");
  CHECK(created.at("status") == "working");
  REQUIRE(created.at("taskId").is_string());
  CHECK(created.at("taskId").as_string().size() >= 16);
  CHECK(created.at("ttlMs").is_int64());
  CHECK(created.at("pollIntervalMs").as_int64() > 0);
  CHECK_FALSE(created.contains("content"));
  return created.at("taskId");
}

// Tool name -> execution.taskSupport, for the listed tools whose names start
// with `prefix` and that publish one.
inline std::map<std::string, std::string> task_support_of(const json::object& list, std::string_view prefix) {
  std::map<std::string, std::string> found;
  for (const auto& tool : list.at("tools").as_array()) {
    const std::string name(tool.at("name").as_string());
    if (const auto* execution = tool.as_object().if_contains("execution");
        execution && name.starts_with(prefix))
      found[name] = execution->at("taskSupport").as_string();
  }
  return found;
}

}  // namespace mcpd_test
