// The Tasks extension (io.modelcontextprotocol/tasks) over stdio, with the
// default in-memory store: a tool call becomes a task for a 2026-07-28 client
// that declares the extension, its progress becomes its statusMessage, it
// waits in input_required for tasks/update, tasks/cancel stops its work, and
// listeners get notifications/tasks. Clients that do not declare the extension,
// and legacy clients, are served in the request as before.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <map>
#include <thread>

#include "mcp_session.hpp"
#include "redis_server.hpp"
#include "response_checks.hpp"
#include "task_checks.hpp"

using namespace mcpd_test;

namespace {

json::object task_request(std::string_view tool, json::object arguments) {
  return modern({{"name", tool}, {"arguments", std::move(arguments)}}, kTasks);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  return text;
}

}  // namespace

TEST_CASE("a task runs to completed and carries the tool's result", "[tasks]") {
  McpSession session;
  const auto created =
      result_of(session.request("tools/call", task_request("testkit.slow_task", {{"ms", 300}})));
  CHECK(created.at("resultType") == "task");
  CHECK(created.at("status") == "working");
  REQUIRE(created.at("taskId").is_string());
  CHECK(created.at("taskId").as_string().size() == 36);  // a UUID: 122 random bits
  CHECK(created.at("ttlMs") == 3600000);
  CHECK(created.at("pollIntervalMs") == 1000);
  for (const char* absent :
       {"result", "error", "inputRequests", "requestState", "ttl", "pollInterval", "content"})
    CHECK_FALSE(created.contains(absent));

  const auto id = created.at("taskId");
  const auto done = poll_until(session, id, "completed");
  CHECK(done.at("status") == "completed");
  CHECK(done.at("resultType") == "complete");
  CHECK(text_of(done.at("result").as_object()) == "slept 300 ms");
  CHECK(done.at("createdAt") == created.at("createdAt"));
  CHECK(done.at("lastUpdatedAt").as_string() >= created.at("lastUpdatedAt").as_string());
}

TEST_CASE("a task waits in input_required for tasks/update, reports its steps, then completes", "[tasks]") {
  McpSession session;
  const auto created = result_of(session.request(
      "tools/call", task_request("testkit.ask_then_work", {{"steps", 3}, {"delay_ms", 100}})));
  const auto id = created.at("taskId");
  const auto waiting = poll_until(session, id, "input_required");
  REQUIRE(waiting.at("status") == "input_required");
  const auto& requests = waiting.at("inputRequests").as_object();
  REQUIRE(requests.size() == 1);
  CHECK(requests.at("go").at("method") == "elicitation/create");

  // An unknown key is acknowledged and ignored; the task keeps waiting.
  const auto ignored = result_of(session.request(
      "tasks/update", modern({{"taskId", id}, {"inputResponses", {{"nope", json::object{}}}}}, kTasks)));
  CHECK(ignored.at("resultType") == "complete");
  for (const char* absent : {"taskId", "status", "inputRequests"}) CHECK_FALSE(ignored.contains(absent));
  CHECK(task_get(session, id).at("status") == "input_required");

  result_of(session.request(
      "tasks/update",
      modern(
          {{"taskId", id}, {"inputResponses", {{"go", {{"action", "accept"}, {"content", {{"go", true}}}}}}}},
          kTasks)));
  // Its progress messages become the task's statusMessage while it works.
  std::vector<std::string> messages;
  const auto task = poll_task(
      session, id, [](const json::object& polled) { return is_terminal(polled); }, &messages);
  CHECK(task.at("status") == "completed");
  CHECK(text_of(task.at("result").as_object()) == "went on for 3 steps");
  CHECK(std::find(messages.begin(), messages.end(), "step 2 of 3") != messages.end());
  CHECK_FALSE(task.contains("inputRequests"));
}

TEST_CASE("tasks/cancel ends a task as cancelled and stops its work", "[tasks]") {
  McpSession session;
  TempDir dir;
  const std::string marker = (dir.path() / "marker").string();
  const auto created = result_of(session.request(
      "tools/call", task_request("testkit.slow_task", {{"ms", 60000}, {"cancel_marker", marker}})));
  const auto id = created.at("taskId");
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (read_file(marker) != "started" && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(read_file(marker) == "started");

  const auto ack = result_of(session.request("tasks/cancel", modern({{"taskId", id}}, kTasks)));
  CHECK(ack.at("resultType") == "complete");
  for (const char* absent : {"taskId", "status", "result", "error"}) CHECK_FALSE(ack.contains(absent));
  CHECK(task_get(session, id).at("status") == "cancelled");
  // The handler saw the cancellation and stopped.
  const auto stop_until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (read_file(marker) != "cancelled" && std::chrono::steady_clock::now() < stop_until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(read_file(marker) == "cancelled");
  // Its late result does not overwrite the cancellation; cancelling again is the same empty ack.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(task_get(session, id).at("status") == "cancelled");
  CHECK(result_of(session.request("tasks/cancel", modern({{"taskId", id}}, kTasks))).at("resultType") ==
        "complete");
}

TEST_CASE("without the extension a task tool is served in the request, and tasks/* say what is missing",
          "[tasks]") {
  McpSession session;
  const auto plain = result_of(
      session.request("tools/call", modern({{"name", "testkit.slow_task"}, {"arguments", {{"ms", 10}}}})));
  CHECK(plain.at("resultType") == "complete");
  CHECK(text_of(plain) == "slept 10 ms");

  // A tool that must run as a task refuses a client without the extension, naming it.
  const auto refused = session.request(
      "tools/call", modern({{"name", "testkit.ask_then_work"}, {"arguments", {{"steps", 1}}}}));
  INFO(json::serialize(refused));
  REQUIRE(refused.contains("error"));
  CHECK(refused.at("error").at("code") == -32021);
  CHECK(refused.at("error").at("data").at("requiredCapabilities") == kTasks);

  for (const char* method : {"tasks/get", "tasks/update", "tasks/cancel"}) {
    const auto error = session.request(method, modern({{"taskId", "x"}, {"inputResponses", json::object{}}}));
    INFO(json::serialize(error));
    CHECK(error.at("error").at("code") == -32021);
  }
  const auto unknown = session.request("tasks/get", modern({{"taskId", "no-such-task"}}, kTasks));
  CHECK(unknown.at("error").at("code") == -32602);
  for (const char* removed : {"tasks/result", "tasks/list"})
    CHECK(session.request(removed, modern({{"taskId", "x"}}, kTasks)).at("error").at("code") == -32601);

  // A legacy client is served in the request and never told about taskSupport.
  session.initialize("2025-11-25");
  const auto listed = result_of(session.request("tools/list"));
  for (const auto& tool : listed.at("tools").as_array()) CHECK_FALSE(tool.as_object().contains("execution"));
  CHECK(text_of(result_of(session.request(
            "tools/call", {{"name", "testkit.slow_task"}, {"arguments", {{"ms", 5}}}}))) == "slept 5 ms");
  CHECK(task_support_of(result_of(session.request("tools/list", modern())), "testkit_slow_task") ==
        std::map<std::string, std::string>{{"testkit_slow_task", "optional"}});
}

TEST_CASE("a listen stream that names a task gets notifications/tasks as it changes", "[tasks]") {
  McpSession session;
  const auto created =
      result_of(session.request("tools/call", task_request("testkit.slow_task", {{"ms", 200}})));
  const auto id = created.at("taskId");
  const auto listen_id = session.send_request(
      "subscriptions/listen",
      modern({{"notifications", {{"taskIds", json::array{id, "someone-elses"}}}}}, kTasks));
  const auto ack = session.await_message([](const json::value& m) {
    return m.as_object().contains("method") && m.at("method") == "notifications/subscriptions/acknowledged";
  });
  REQUIRE(ack.has_value());
  CHECK(ack->at("params").at("notifications").at("taskIds") == json::array{id});  // only known tasks
  const auto done = session.await_message([](const json::value& m) {
    return m.as_object().contains("method") && m.at("method") == "notifications/tasks" &&
           m.at("params").at("status") == "completed";
  });
  REQUIRE(done.has_value());
  CHECK(done->at("params").at("taskId") == id);
  CHECK(done->at("params").at("_meta").at("io.modelcontextprotocol/subscriptionId") == listen_id);
  CHECK(text_of(done->at("params").at("result").as_object()) == "slept 200 ms");
}

TEST_CASE("with a Redis store, a restart fails the tasks it was running and an outage fails only task calls",
          "[tasks][redis]") {
  RedisServer redis;
  auto options = standard_serve_options();
  options.environment.push_back("MCPD_TASKS_STORE=" + redis.url());
  options.config = json::object{{"tasks", {{"heartbeat_ms", 1500}}}};
  json::value id;
  {
    McpSession first(options);
    const auto created =
        result_of(first.request("tools/call", task_request("testkit.slow_task", {{"ms", 60000}})));
    id = created.at("taskId");
    CHECK(task_get(first, id).at("status") == "working");
    // stdin closes: the instance shuts down while the task runs, and says so in the store.
    first.process().close_stdin();
    CHECK(first.process().wait_exit(std::chrono::seconds(20)) == 0);
  }
  McpSession second(options);
  const auto failed = task_get(second, id);
  CHECK(failed.at("status") == "failed");
  CHECK_THAT(std::string(failed.at("error").at("message").as_string()), Catch::Contains("shut down"));
  CHECK_FALSE(failed.contains("result"));

  // An instance that dies without a word (SIGKILL): its tasks fail as soon as its heartbeat is missed.
  json::value orphan;
  {
    McpSession doomed(options);
    orphan = result_of(doomed.request("tools/call", task_request("testkit.slow_task", {{"ms", 60000}})))
                 .at("taskId");
    ::kill(doomed.process().pid(), SIGKILL);
    doomed.process().wait_exit(std::chrono::seconds(5));
  }
  CHECK(task_get(second, orphan).at("status") == "working");  // its last heartbeat still counts
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  const auto orphaned = task_get(second, orphan);
  CHECK(orphaned.at("status") == "failed");
  CHECK_THAT(std::string(orphaned.at("error").at("message").as_string()), Catch::Contains("stopped before"));

  redis.stop();
  const auto refused = second.request("tools/call", task_request("testkit.slow_task", {{"ms", 10}}));
  INFO(json::serialize(refused));
  REQUIRE(refused.contains("error"));
  CHECK(refused.at("error").at("code") == -32603);
  CHECK_THAT(std::string(refused.at("error").at("message").as_string()), Catch::Contains("task store"));
  // A call that is no task does not need the store.
  CHECK(text_of(result_of(second.request(
            "tools/call", modern({{"name", "testkit.slow_task"}, {"arguments", {{"ms", 10}}}})))) ==
        "slept 10 ms");

  redis.start();
  const auto again = result_of(second.request("tools/call", task_request("testkit.slow_task", {{"ms", 10}})));
  CHECK(poll_until(second, again.at("taskId"), "completed").at("status") == "completed");
}
