// gemini.ask_about_video as a task (MCP 2026-07-28's Tasks extension) against FakeGemini's Files API: a
// client that declares io.modelcontextprotocol/tasks gets a task at once, whose status message follows the
// upload and Gemini's processing, and polls tasks/get to the answer a synchronous call gives; tasks/cancel
// stops the status polling and deletes the upload.
#include <chrono>
#include <map>
#include <regex>
#include <thread>

#include <mcpd/sdk/base64.hpp>

#include "gemini_harness.hpp"
#include "response_checks.hpp"

using namespace gemini_test;
using mcpd_test::McpSession;
using mcpd_test::modern;
using mcpd_test::result_of;
using namespace std::chrono_literals;

namespace {

constexpr const char* tool = "gemini.ask_about_video";

const json::object tasks_capabilities{{"extensions", {{"io.modelcontextprotocol/tasks", json::object{}}}}};

const std::string video_bytes = std::string(
                                    "\0\0\0\x20"
                                    "ftypisom",
                                    12) +
                                std::string(4096, 'v');

json::object video_question() {
  return json::object{
      {"question", "What does the user do?"},
      {"video", {{"data", mcpd::sdk::base64::encode(video_bytes)}, {"mimeType", "video/mp4"}}}};
}

json::object modern_call(McpSession& session, const json::object& arguments,
                         const json::object& capabilities) {
  return result_of(
      session.request("tools/call", modern({{"name", tool}, {"arguments", arguments}}, capabilities), 30s));
}

json::object task_request(McpSession& session, const std::string& method, const std::string& task_id) {
  return result_of(session.request(method, modern({{"taskId", task_id}}, tasks_capabilities)));
}

std::string status_message(const json::object& task) {
  const auto* message = task.if_contains("statusMessage");
  return message != nullptr && message->is_string() ? std::string(message->as_string()) : std::string();
}

// "waiting for Gemini to process the video (state PROCESSING, check K, S s)" -> K; 0 for other texts.
int processing_check(const std::string& message) {
  static const std::regex pattern(
      R"(^waiting for Gemini to process the video \(state PROCESSING, check (\d+), \d+ s\)$)");
  std::smatch match;
  return std::regex_match(message, match, pattern) ? std::stoi(match[1]) : 0;
}

// Polls tasks/get until `done` (or 20 s pass); the distinct status messages seen, in order.
template <typename Done>
json::object poll_task(McpSession& session, const std::string& task_id, std::vector<std::string>& messages,
                       Done done) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  for (;;) {
    auto task = task_request(session, "tasks/get", task_id);
    if (auto message = status_message(task);
        !message.empty() && (messages.empty() || messages.back() != message))
      messages.push_back(message);
    if (done(task)) return task;
    if (std::chrono::steady_clock::now() > deadline)
      FAIL("the task did not get there in 20 s: " << json::serialize(task) << "\n" << session.diagnostics());
    std::this_thread::sleep_for(20ms);
  }
}

std::string created_task_id(const json::object& created) {
  INFO(json::serialize(created));
  CHECK(created.at("resultType") == "task");
  CHECK(created.at("status") == "working");
  REQUIRE(created.at("taskId").is_string());
  CHECK(created.at("pollIntervalMs").as_int64() > 0);
  return std::string(created.at("taskId").as_string());
}

}  // namespace

TEST_CASE("ask_about_video runs as a task whose status follows Gemini's processing", "[video][tasks]") {
  FakeGemini fake;
  fake.set_file_processing(1000);  // PROCESSING until the test says otherwise
  auto mcpd = start_mcpd(gemini_section(fake));

  const auto task_id = created_task_id(modern_call(*mcpd, video_question(), tasks_capabilities));
  std::vector<std::string> messages;
  poll_task(*mcpd, task_id, messages, [](const json::object& task) {
    REQUIRE(task.at("status") == "working");
    return processing_check(status_message(task)) >= 2;
  });
  fake.finish_processing();
  const auto done = poll_task(*mcpd, task_id, messages,
                              [](const json::object& task) { return task.at("status") != "working"; });
  INFO(json::serialize(done) << "\n" << mcpd->diagnostics());
  REQUIRE(done.at("status") == "completed");

  int last_check = 0;
  for (const auto& message : messages) {
    if (const int check = processing_check(message); check > 0) {
      CHECK(check > last_check);
      last_check = check;
    }
  }
  CHECK(last_check >= 2);
  CHECK(status_message(done) == "asking gemini-2.5-flash about the video");

  const auto& result = done.at("result").as_object();
  CHECK(result.at("resultType") == "complete");
  const auto& structured = result.at("structuredContent").as_object();
  CHECK(structured.at("answer") ==
        json::value("I see a video of " + std::to_string(video_bytes.size()) + " bytes."));
  REQUIRE(fake.uploaded_files().size() == 1);
  CHECK(fake.uploaded_files()[0].deleted);
  CHECK(fake.request_count(kGenerate) == 1);

  // Without the extension (2026-07-28, or a legacy client) the same call answers synchronously, alike.
  fake.set_file_processing(1);
  const auto synchronous = modern_call(*mcpd, video_question(), {});
  CHECK(synchronous.at("resultType") == "complete");
  CHECK_FALSE(synchronous.contains("taskId"));
  CHECK(synchronous.at("structuredContent") == json::value(structured));
  CHECK(call_ok(*mcpd, tool, video_question()) == structured);
  CHECK(fake.request_count(kGenerate) == 3);
}

TEST_CASE("tasks/cancel stops waiting for Gemini's processing and deletes the upload", "[video][tasks]") {
  FakeGemini fake;
  fake.set_file_processing(1000);
  auto mcpd = start_mcpd(gemini_section(fake));

  const auto task_id = created_task_id(modern_call(*mcpd, video_question(), tasks_capabilities));
  std::vector<std::string> messages;
  poll_task(*mcpd, task_id, messages,
            [](const json::object& task) { return processing_check(status_message(task)) >= 2; });
  const auto polls_before = fake.request_count(kFileStatus);
  CHECK(task_request(*mcpd, "tasks/cancel", task_id).at("resultType") == "complete");
  CHECK(task_request(*mcpd, "tasks/get", task_id).at("status") == "cancelled");

  // A status request already on its way may still arrive; after that, none (unstopped, the next ones would
  // come 1 s and 3 s after the second).
  std::this_thread::sleep_for(300ms);
  const auto polls_after = fake.request_count(kFileStatus);
  CHECK(polls_after <= polls_before + 1);
  std::this_thread::sleep_for(2700ms);
  CHECK(fake.request_count(kFileStatus) == polls_after);
  CHECK(fake.request_count(kGenerate) == 0);
  REQUIRE(fake.uploaded_files().size() == 1);
  CHECK(fake.uploaded_files()[0].deleted);
  CHECK(task_request(*mcpd, "tasks/get", task_id).at("status") == "cancelled");
  mcpd->expect_ping_answered();
}

TEST_CASE("ask_about_video refuses a bad video at once, without making a task", "[video][tasks]") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  auto arguments = video_question();
  arguments["video"].as_object()["data"] = "not base64!";
  const auto refused = modern_call(*mcpd, arguments, tasks_capabilities);
  CHECK(refused.at("resultType") == "complete");
  CHECK(refused.at("isError") == true);
  CHECK_THAT(mcpd_test::text_of(refused),
             Catch::StartsWith("gemini.ask_about_video: video.data is not base64"));
  CHECK(fake.request_count(kUploadStart) == 0);
}

TEST_CASE("ask_about_video says it may run as a task, to 2026-07-28 clients only", "[video][tasks]") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  // gemini tool name -> execution.taskSupport, for the tools that publish one.
  const auto task_support = [](const json::object& list) {
    std::map<std::string, std::string> found;
    for (const auto& entry : list.at("tools").as_array()) {
      const std::string name(entry.at("name").as_string());
      if (const auto* execution = entry.as_object().if_contains("execution");
          execution && name.starts_with("gemini."))
        found[name] = execution->at("taskSupport").as_string();
    }
    return found;
  };
  CHECK(task_support(result_of(mcpd->request("tools/list", modern({}, tasks_capabilities)))) ==
        std::map<std::string, std::string>{{tool, "optional"}});
  CHECK(task_support(mcpd->request_result("tools/list")).empty());  // the legacy session
}
