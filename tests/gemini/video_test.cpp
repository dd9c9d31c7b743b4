// gemini.ask_about_video against FakeGemini's Files API: the resumable upload (start with the key, bytes
// without it), waiting for ACTIVE, fileData in generateContent, the upload deleted after the answer and
// after every failure, and the providers and inputs that cannot work.
#include <mcpd/sdk/base64.hpp>

#include "gemini_harness.hpp"

using namespace gemini_test;

namespace {

std::string base64_of(const std::string& bytes) {
  return mcpd::sdk::base64::encode(bytes);
}

// Not a real video: the fake, like the Files API before processing, takes the bytes as they are.
const std::string video_bytes = std::string(
                                    "\0\0\0\x20"
                                    "ftypisom",
                                    12) +
                                std::string(4096, 'v');

json::object video_question(const std::string& question = "What does the user do?") {
  return json::object{{"question", question},
                      {"video", {{"data", base64_of(video_bytes)}, {"mimeType", "video/mp4"}}}};
}

}  // namespace

TEST_CASE("ask_about_video uploads the video, waits until ACTIVE, asks with fileData, then deletes it") {
  FakeGemini fake;
  fake.set_file_processing(2);
  auto mcpd = start_mcpd(gemini_section(fake));
  auto arguments = video_question();
  arguments["fps"] = 2;
  const auto result = call_ok(*mcpd, "gemini.ask_about_video", arguments);
  CHECK(result.at("answer") ==
        json::value("I see a video of " + std::to_string(video_bytes.size()) + " bytes."));
  CHECK(result.at("provider") == "gemini");

  // The key goes with the start of the upload, never with the bytes (the session URL authorizes them).
  const auto start = fake.requests(kUploadStart);
  REQUIRE(start.size() == 1);
  CHECK(start[0].api_key_header == FakeGemini::kApiKey);
  const auto bytes = fake.requests(kUploadBytes);
  REQUIRE(bytes.size() == 1);
  CHECK(bytes[0].api_key_header.empty());
  CHECK(bytes[0].body == video_bytes);
  CHECK(fake.request_count(kFileStatus) == 3);  // PROCESSING, PROCESSING, ACTIVE

  const auto files = fake.uploaded_files();
  REQUIRE(files.size() == 1);
  CHECK(files[0].mime_type == "video/mp4");
  CHECK(files[0].bytes == video_bytes);
  CHECK(files[0].deleted);

  const auto generate = fake.requests(kGenerate);
  REQUIRE(generate.size() == 1);
  const auto body = json::parse(generate[0].body).as_object();
  const auto& parts = body.at("contents").at(0).at("parts").as_array();
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].at("fileData").at("fileUri") == json::value(fake.base_url() + "/v1beta/" + files[0].name));
  CHECK(parts[0].at("fileData").at("mimeType") == "video/mp4");
  CHECK(parts[0].at("videoMetadata").at("fps").to_number<double>() == 2.0);
  CHECK(parts[1].at("text") == "What does the user do?");  // the question, as its own part
}

TEST_CASE("ask_about_video reports failures plainly and never leaves the upload behind") {
  FakeGemini fake;
  SECTION("processing fails") {
    fake.set_file_processing(1, /*fails=*/true);
    auto mcpd = start_mcpd(gemini_section(fake));
    CHECK_THAT(call_error(*mcpd, "gemini.ask_about_video", video_question()),
               Catch::Contains("could not process the video") && Catch::Contains("FAILED") &&
                   Catch::Contains("Video could not be processed."));
    CHECK(fake.request_count(kGenerate) == 0);
  }
  SECTION("generateContent refuses: the upload is still deleted") {
    fake.push_reply(kGenerate, {400, gemini_error(400, "INVALID_ARGUMENT", "Video is too long.")});
    auto mcpd = start_mcpd(gemini_section(fake));
    CHECK_THAT(call_error(*mcpd, "gemini.ask_about_video", video_question()),
               Catch::Contains("Video is too long."));
  }
  SECTION("the upload session is refused") {
    fake.push_reply(kUploadStart, {429, gemini_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded.")}, 5);
    auto mcpd = start_mcpd(gemini_section(fake));
    const auto text = call_error(*mcpd, "gemini.ask_about_video", video_question());
    CHECK_THAT(text, Catch::Contains("429"));
    CHECK_FALSE(leaks_secret(text));
    CHECK(fake.uploaded_files().empty());
  }
  for (const auto& file : fake.uploaded_files()) CHECK(file.deleted);
  CHECK(fake.request_count(kFileDelete) == fake.uploaded_files().size());
}

TEST_CASE("ask_about_video needs the gemini provider and a decodable, small enough video") {
  FakeGemini fake;
  SECTION("OpenAI-compatible servers take no video") {
    auto mcpd = start_mcpd(openai_section(fake));
    CHECK_THAT(call_error(*mcpd, "gemini.ask_about_video", video_question()),
               Catch::Contains("takes no video") && Catch::Contains("plugin_config.gemini.provider"));
    CHECK(fake.request_count(kChat) == 0);
  }
  SECTION("not base64") {
    auto mcpd = start_mcpd(gemini_section(fake));
    auto arguments = video_question();
    arguments["video"].as_object()["data"] = "not base64!";
    CHECK_THAT(call_error(*mcpd, "gemini.ask_about_video", arguments), Catch::Contains("video.data"));
  }
  SECTION("over max_request_bytes: nothing is sent") {
    auto mcpd = start_mcpd(gemini_section(fake, {{"max_request_bytes", 1048576}}));
    auto arguments = video_question();
    const std::string big(1048577, 'v');
    arguments["video"].as_object()["data"] = base64_of(big);
    CHECK_THAT(call_error(*mcpd, "gemini.ask_about_video", arguments),
               Catch::Contains("max_request_bytes") && Catch::Contains("nothing was sent"));
    CHECK(fake.request_count(kUploadStart) == 0);
  }
}

TEST_CASE("ask_about_video reports each step, and a cancelled call stops waiting and deletes the upload") {
  FakeGemini fake;
  fake.set_file_processing(1000);  // stays PROCESSING
  auto mcpd = start_mcpd(gemini_section(fake));
  const auto id = mcpd->send_request("tools/call", {{"name", "gemini.ask_about_video"},
                                                    {"arguments", video_question()},
                                                    {"_meta", {{"progressToken", "video-1"}}}});
  const auto waiting = [](const json::value& message) {
    const auto* params = message.as_object().if_contains("params");
    const auto* text = params != nullptr ? params->as_object().if_contains("message") : nullptr;
    return text != nullptr &&
           std::string(text->as_string()).find("waiting for Gemini to process") != std::string::npos;
  };
  REQUIRE(mcpd->await_message(waiting, std::chrono::seconds(10)));  // (taken out of the backlog)
  const auto progress = mcpd->notifications("notifications/progress");
  REQUIRE_FALSE(progress.empty());
  CHECK_THAT(std::string(progress[0].at("params").at("message").as_string()),
             Catch::Contains("uploading the video"));
  mcpd->notify("notifications/cancelled", {{"requestId", id}});
  const auto polls = fake.request_count(kFileStatus);
  mcpd->collect_for(std::chrono::milliseconds(1500));
  CHECK(fake.request_count(kFileStatus) <= polls + 1);  // polling stopped
  for (const auto& message : mcpd->backlog()) CHECK_FALSE(mcpd_test::has_id(message, id));
  REQUIRE(fake.uploaded_files().size() == 1);
  CHECK(fake.uploaded_files()[0].deleted);
  CHECK(fake.request_count(kGenerate) == 0);
  mcpd->expect_ping_answered();
}
