// The recording tools as tasks (MCP 2026-07-28's Tasks extension) through `mcpd serve --stdio`: a client
// that declares io.modelcontextprotocol/tasks gets a task at once, whose status message follows PostHog's
// render, and polls tasks/get to the same result a synchronous call gives; tasks/cancel stops the export
// polling; clients without the extension keep the synchronous call.
#include <chrono>
#include <map>
#include <regex>
#include <thread>

#include "fake_gemini.hpp"
#include "response_checks.hpp"
#include "task_checks.hpp"
#include "test_videos.hpp"
#include "tool_call_checks.hpp"
#include "tracking_harness.hpp"

using namespace tracking_test;
using namespace video_fixtures;
using gemini_test::FakeGemini;
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
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr const char* frames_tool = "tracking_recording_frames";
constexpr const char* ask_tool = "tracking_ask_question_about_recording";
constexpr const char* recording_id = "0192-rec-task";

json::object export_config(const FakePosthog& fake, const fs::path& cache_dir) {
  return tracking_section(fake, {{"exports", {{"poll_interval_ms", 100}, {"timeout_ms", 30000}}},
                                 {"video_cache", {{"dir", cache_dir.string()}}}});
}

// A 2026-07-28 tools/call; `capabilities` are the request's clientCapabilities.
json::object modern_call(McpSession& session, const std::string& tool, const json::object& arguments,
                         const json::object& capabilities) {
  return result_of(
      session.request("tools/call", modern({{"name", tool}, {"arguments", arguments}}, capabilities), 30s));
}

// "Rendering recording "<id>": PostHog is exporting it (export N, attempt K, S s)" -> K; 0 for other texts.
int export_attempt(const std::string& message) {
  static const std::regex pattern(
      R"(^Rendering recording "0192-rec-task": PostHog is exporting it \(export \d+, )"
      R"(attempt (\d+), \d+ s\)$)");
  std::smatch match;
  return std::regex_match(message, match, pattern) ? std::stoi(match[1]) : 0;
}

std::vector<json::value> image_blocks(const json::object& result) {
  std::vector<json::value> images;
  for (const auto& block : result.at("content").as_array())
    if (block.at("type") == "image") images.push_back(block);
  return images;
}

}  // namespace

TEST_CASE("recording_frames runs as a task whose status follows the render, with the synchronous result",
          "[tasks][recording_frames]") {
  scratch_dir dir;
  const auto video =
      colour_video(dir.path(), "render.mp4", {{"red", 1}, {"blue", 2}}, 320, 240, 10, h264(10));
  FakePosthog fake;
  fake.set_export_video(file_bytes(video));
  fake.set_export_polls_until_ready(-1);  // rendering until the test says it is done
  auto session = start_mcpd(export_config(fake, dir.path() / "cache"));

  const json::object arguments{{"recording_id", recording_id}};
  const auto task_id = created_task_id(modern_call(*session, frames_tool, arguments, kTasks));

  // The status message follows PostHog's render: the export's attempts, one after the other.
  std::vector<std::string> messages;
  poll_task(
      *session, task_id,
      [&](const json::object& task) {
        REQUIRE((task.at("status") == "working"));
        return export_attempt(status_message_of(task)) >= 2;
      },
      &messages);
  fake.set_export_polls_until_ready(0);  // the next status poll finds the video ready
  const auto done = poll_task(*session, task_id, is_terminal, &messages);
  INFO(json::serialize(done) << "\nstatus messages:\n"
                             <<
       [&] {
         std::string all;
         for (const auto& m : messages) all += m + "\n";
         return all;
       }() << session->diagnostics());
  REQUIRE(done.at("status") == "completed");
  int last_attempt = 0;
  for (const auto& message : messages) {
    if (const int attempt = export_attempt(message); attempt > 0) {
      CHECK(attempt > last_attempt);
      last_attempt = attempt;
    }
  }
  CHECK(last_attempt >= 2);

  const auto& result = done.at("result").as_object();
  CHECK(result.at("resultType") == "complete");
  CHECK_FALSE(mcpd_test::is_error_result(result));
  const auto& structured = result.at("structuredContent").as_object();
  CHECK(structured.at("source").at("recording_id") == recording_id);
  CHECK(structured.at("source").at("cached") == false);
  REQUIRE(structured.at("frames").as_array().size() == 3);
  CHECK(image_blocks(result).size() == 3);
  CHECK(json::parse(mcpd_test::text_of(result)) == json::value(structured));
  CHECK_FALSE(leaks_secret(json::serialize(done)));
  CHECK(fake.request_count(kExports) == 1);
  CHECK(fake.request_count(kExportDownload) == 1);

  // A client without the extension, and a legacy one, get the answer synchronously: the same frames (the
  // render now comes from the cache, which is all that differs).
  const auto synchronous = modern_call(*session, frames_tool, arguments, {});
  CHECK(synchronous.at("resultType") == "complete");
  CHECK_FALSE(synchronous.contains("taskId"));
  json::object expected = structured;
  expected["source"].as_object()["cached"] = true;
  CHECK(synchronous.at("structuredContent") == json::value(expected));
  CHECK(image_blocks(synchronous) == image_blocks(result));
  const auto legacy = session->call_tool_result(frames_tool, arguments);
  CHECK_FALSE(legacy.contains("taskId"));
  CHECK(legacy.at("structuredContent") == json::value(expected));
  CHECK(image_blocks(legacy) == image_blocks(result));
  CHECK(fake.request_count(kExports) == 1);
}

TEST_CASE("tasks/cancel during the render ends the task cancelled and stops the export polling",
          "[tasks][recording_frames]") {
  scratch_dir dir;
  FakePosthog fake;
  fake.set_export_polls_until_ready(-1);  // never ready
  auto session = start_mcpd(export_config(fake, dir.path() / "cache"));

  const auto task_id =
      created_task_id(modern_call(*session, frames_tool, {{"recording_id", recording_id}}, kTasks));
  poll_task(*session, task_id,
            [](const json::object& task) { return export_attempt(status_message_of(task)) >= 1; });

  const auto polls_before = fake.request_count(kExport);
  const auto ack = task_method(*session, "tasks/cancel", task_id);
  CHECK(ack.at("resultType") == "complete");
  CHECK(task_get(*session, task_id).at("status") == "cancelled");

  // A poll already on its way may still arrive; after that, none. Unstopped, the 100 ms (x1.5) interval
  // would have polled at least four more times in these 2 s.
  std::this_thread::sleep_for(300ms);
  const auto polls_after = fake.request_count(kExport);
  CHECK(polls_after <= polls_before + 1);
  std::this_thread::sleep_for(1700ms);
  CHECK(fake.request_count(kExport) == polls_after);
  CHECK(fake.request_count(kExportContent) == 0);

  const auto final_state = task_get(*session, task_id);
  CHECK(final_state.at("status") == "cancelled");
  CHECK_FALSE(final_state.contains("result"));
  session->expect_ping_answered();
}

TEST_CASE("recording_frames on a local video is a task too, and bad arguments answer at once",
          "[tasks][recording_frames]") {
  scratch_dir dir;
  const auto video = colour_video(dir.path(), "local.mp4", {{"red", 1}, {"lime", 1}}, 320, 240, 10, h264(10));
  auto session = start_mcpd(local_files_config(dir.path()));

  const json::object arguments{{"source", {{"file", video.string()}}}, {"max_width", 160}};
  const auto task_id = created_task_id(modern_call(*session, frames_tool, arguments, kTasks));
  const auto done = poll_task(*session, task_id, is_terminal);
  REQUIRE(done.at("status") == "completed");
  const auto synchronous = session->call_tool_result(frames_tool, arguments);
  CHECK(done.at("result").at("structuredContent") == synchronous.at("structuredContent"));
  CHECK(image_blocks(done.at("result").as_object()) == image_blocks(synchronous));

  // Arguments the tool refuses never become a task: the isError comes back in the response.
  const auto refused =
      modern_call(*session, frames_tool,
                  {{"source", {{"file", video.string()}}}, {"start_ms", 2000}, {"end_ms", 1000}}, kTasks);
  CHECK(refused.at("resultType") == "complete");
  CHECK(refused.at("isError") == true);
  CHECK(mcpd_test::text_of(refused) ==
        "tracking_recording_frames: \"end_ms\" must be greater than \"start_ms\"");
}

TEST_CASE("ask_question_about_recording runs as a task through the render and the model's answer",
          "[tasks][ask_question]") {
  scratch_dir dir;
  const auto video =
      colour_video(dir.path(), "render.mp4", {{"red", 1}, {"blue", 2}}, 320, 240, 10, h264(10));
  FakePosthog posthog;
  posthog.set_export_video(file_bytes(video));
  posthog.set_export_polls_until_ready(2);
  FakeGemini gemini;
  const json::object gemini_config{
      {"api_key", FakeGemini::kApiKey}, {"api_base_url", gemini.base_url()}, {"timeout_ms", 8000}};
  auto session = mcpd_test::start_shipped_plugins(
      {{"tracking", export_config(posthog, dir.path() / "cache")}, {"gemini", gemini_config}});

  const json::object arguments{{"recording_id", recording_id}, {"question", "What colour comes last?"}};
  const auto task_id = created_task_id(modern_call(*session, ask_tool, arguments, kTasks));
  const auto done = poll_task(*session, task_id, is_terminal);
  INFO(json::serialize(done) << "\n" << session->diagnostics());
  REQUIRE(done.at("status") == "completed");
  const auto& structured = done.at("result").at("structuredContent").as_object();
  const auto keyframes = structured.at("keyframes").as_array().size();
  CHECK(keyframes >= 2);
  CHECK(structured.at("answer") == json::value("I see " + std::to_string(keyframes) + " images."));
  CHECK(structured.at("mode") == "keyframes");
  CHECK(structured.at("source").at("recording_id") == recording_id);
  CHECK(gemini.request_count(gemini_test::kGenerate) == 1);
  CHECK(posthog.request_count(kExports) == 1);
  // The completed task keeps the last status it reported: the model's answer.
  CHECK(status_message_of(done) == "the model answered");
}

TEST_CASE("the recording tools say they may run as tasks, to 2026-07-28 clients only", "[tasks]") {
  FakePosthog fake;
  auto session = start_mcpd(tracking_section(fake));
  CHECK(task_support_of(result_of(session->request("tools/list", modern({}, kTasks))), "tracking_") ==
        std::map<std::string, std::string>{{frames_tool, "optional"}, {ask_tool, "optional"}});
  CHECK(task_support_of(session->request_result("tools/list"), "tracking_").empty());  // the legacy session
}
