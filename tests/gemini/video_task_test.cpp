// gemini_ask_about_video as a task (MCP 2026-07-28's Tasks extension) against FakeGemini's Files API: a
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
#include "task_checks.hpp"

using namespace gemini_test;
using mcpd_test::created_task_id;
using mcpd_test::is_terminal;
using mcpd_test::kTasks;
using mcpd_test::McpSession;
using mcpd_test::modern;
using mcpd_test::poll_task;
using mcpd_test::result_of;
using mcpd_test::status_message_of;
using mcpd_test::task_get;
using mcpd_test::task_method;
using mcpd_test::task_support_of;
using namespace std::chrono_literals;

namespace {

constexpr const char* tool = "gemini_ask_about_video";

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

// "waiting for Gemini to process the video (state PROCESSING, check K, S s)" -> K; 0 for other texts.
int processing_check(const std::string& message) {
  static const std::regex pattern(
      R"(^waiting for Gemini to process the video \(state PROCESSING, check (\d+), \d+ s\)$)");
  std::smatch match;
  return std::regex_match(message, match, pattern) ? std::stoi(match[1]) : 0;
}

}  // namespace

TEST_CASE("ask_about_video runs as a task whose status follows Gemini's processing", "[video][tasks]") {
  FakeGemini fake;
  fake.set_file_processing(1000);  // PROCESSING until the test says otherwise
  auto mcpd = start_mcpd(gemini_section(fake));

  const auto task_id = created_task_id(modern_call(*mcpd, video_question(), kTasks));
  std::vector<std::string> messages;
  poll_task(
      *mcpd, task_id,
      [](const json::object& task) {
        REQUIRE(task.at("status") == "working");
        return processing_check(status_message_of(task)) >= 2;
      },
      &messages);
  fake.finish_processing();
  const auto done = poll_task(
      *mcpd, task_id, [](const json::object& task) { return task.at("status") != "working"; }, &messages);
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
  CHECK(status_message_of(done) == "asking gemini-3.8-flash about the video");

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

  const auto task_id = created_task_id(modern_call(*mcpd, video_question(), kTasks));
  poll_task(*mcpd, task_id,
            [](const json::object& task) { return processing_check(status_message_of(task)) >= 2; });
  const auto polls_before = fake.request_count(kFileStatus);
  CHECK(task_method(*mcpd, "tasks/cancel", task_id).at("resultType") == "complete");
  CHECK(task_get(*mcpd, task_id).at("status") == "cancelled");

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
  CHECK(task_get(*mcpd, task_id).at("status") == "cancelled");
  mcpd->expect_ping_answered();
}

TEST_CASE("ask_about_video refuses a bad video at once, without making a task", "[video][tasks]") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  auto arguments = video_question();
  arguments["video"].as_object()["data"] = "not base64!";
  const auto refused = modern_call(*mcpd, arguments, kTasks);
  CHECK(refused.at("resultType") == "complete");
  CHECK(refused.at("isError") == true);
  CHECK_THAT(mcpd_test::text_of(refused),
             Catch::StartsWith("gemini_ask_about_video: video.data is not base64"));
  CHECK(fake.request_count(kUploadStart) == 0);
}

TEST_CASE("ask_about_video says it may run as a task, to 2026-07-28 clients only", "[video][tasks]") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  CHECK(task_support_of(result_of(mcpd->request("tools/list", modern({}, kTasks))), "gemini_") ==
        std::map<std::string, std::string>{{tool, "optional"}});
  CHECK(task_support_of(mcpd->request_result("tools/list"), "gemini_").empty());  // the legacy session
}
