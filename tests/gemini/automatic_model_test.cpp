// The model of a call that names none and has none configured, through mcpd and FakeGemini: the newest
// stable Flash model of GET /v1beta/models, listed once and kept (model_refresh_ms), the last good choice
// kept when a refresh fails, and a clear error when there never was one.
#include <chrono>
#include <thread>

#include "gemini_harness.hpp"

using namespace gemini_test;
using namespace std::chrono_literals;

namespace {

json::object simple_question() {
  return json::object{{"question", "What is this?"}, {"images", json::array{image_argument(make_png(4, 4))}}};
}

json::object per_minute_429() {
  return gemini_error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.",
                      json::array{quota_failure("ListModelsRequestsPerMinutePerProject")});
}

}  // namespace

TEST_CASE("without a configured model the newest stable Flash model listed answers, and is listed once") {
  FakeGemini fake;  // gemini-3.8-flash is on the last of three pages; previews, lite and aliases come first
  auto mcpd = start_mcpd(gemini_section(fake));

  const auto first = call_ok(*mcpd, "gemini_ask_about_images", simple_question());
  CHECK(first.at("model") == "gemini-3.8-flash");
  CHECK(fake.requests(kGenerate).at(0).target == "/v1beta/models/gemini-3.8-flash:generateContent");
  CHECK(fake.models_listings() == 1);
  CHECK(fake.request_count(kModels) == 3);  // every page

  const auto second = call_ok(*mcpd, "gemini_ask_about_images", simple_question());
  CHECK(second.at("model") == "gemini-3.8-flash");
  CHECK(fake.models_listings() == 1);  // cached: no second listing
  CHECK(fake.request_count(kGenerate) == 2);
}

TEST_CASE("the automatic choice is refreshed after model_refresh_ms, and 3.10 beats 3.9") {
  FakeGemini fake;
  fake.set_models(json::array{gemini_model("gemini-3.9-flash"), gemini_model("gemini-3.10-flash-preview")});
  auto mcpd = start_mcpd(gemini_section(fake, json::object{{"model_refresh_ms", 1000}}));
  CHECK(call_ok(*mcpd, "gemini_ask_about_images", simple_question()).at("model") == "gemini-3.9-flash");

  fake.set_models(json::array{gemini_model("gemini-3.9-flash"), gemini_model("gemini-3.10-flash")});
  CHECK(call_ok(*mcpd, "gemini_ask_about_images", simple_question()).at("model") == "gemini-3.9-flash");
  CHECK(fake.models_listings() == 1);

  std::this_thread::sleep_for(1100ms);
  CHECK(call_ok(*mcpd, "gemini_ask_about_images", simple_question()).at("model") == "gemini-3.10-flash");
  CHECK(fake.models_listings() == 2);
}

TEST_CASE("a refresh that fails keeps the last good choice") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake, json::object{{"model_refresh_ms", 1000}}));
  CHECK(call_ok(*mcpd, "gemini_ask_about_images", simple_question()).at("model") == "gemini-3.8-flash");
  const auto pages_before = fake.request_count(kModels);

  std::this_thread::sleep_for(1100ms);
  fake.push_reply(kModels, {503, gemini_error(503, "UNAVAILABLE", "The service is currently unavailable.")},
                  3);
  CHECK(call_ok(*mcpd, "gemini_ask_about_images", simple_question()).at("model") == "gemini-3.8-flash");
  CHECK(fake.request_count(kModels) == pages_before + 3);  // the refresh was tried (3 attempts)
  // Not listed again on every call while listing fails.
  CHECK(call_ok(*mcpd, "gemini_ask_about_images", simple_question()).at("model") == "gemini-3.8-flash");
  CHECK(fake.request_count(kModels) == pages_before + 3);
}

TEST_CASE("a listing that fails before any choice fails the call, saying how to configure a model") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  fake.push_reply(kModels, {429, per_minute_429()}, 3);
  CHECK(
      call_error(*mcpd, "gemini_ask_about_images", simple_question()) ==
      "gemini_ask_about_images: no model is configured and none could be chosen automatically: listing the "
      "models failed: Gemini rate limited the request (quota ListModelsRequestsPerMinutePerProject) (HTTP "
      "429 "
      "RESOURCE_EXHAUSTED) after 3 attempts; wait a minute before retrying. Per-minute quotas depend on the "
      "model and the project's tier. Gemini said: \"You exceeded your current quota.\" To choose one "
      "yourself, set plugin_config.gemini.default_model to a model this key can use, or pass \"model\" in "
      "the call.");
  CHECK(fake.request_count(kGenerate) == 0);

  // The listing works again: the next call chooses.
  CHECK(call_ok(*mcpd, "gemini_ask_about_images", simple_question()).at("model") == "gemini-3.8-flash");
}

TEST_CASE("a configured model is used as is, without a listing") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake, json::object{{"default_model", "gemini-3.5-flash"}}));
  CHECK(call_ok(*mcpd, "gemini_ask_about_images", simple_question()).at("model") == "gemini-3.5-flash");
  CHECK(fake.models_listings() == 0);
  const auto listing = call_ok(*mcpd, "gemini_models_list", {});
  CHECK(listing.at("default_model") == "gemini-3.5-flash");
  CHECK(listing.at("default_model_source") == "configured");
}

TEST_CASE("gemini_ask_about_video uses the automatic choice too") {
  FakeGemini fake;
  fake.set_file_processing(0);
  auto mcpd = start_mcpd(gemini_section(fake));
  const json::object arguments{{"question", "What happens?"},
                               {"video", json::object{{"data", base64({0, 0, 0, 24, 'f', 't', 'y', 'p'})},
                                                      {"mimeType", "video/mp4"}}}};
  const auto result = call_ok(*mcpd, "gemini_ask_about_video", arguments);
  CHECK(result.at("model") == "gemini-3.8-flash");
  CHECK(fake.requests(kGenerate).at(0).model == "gemini-3.8-flash");
}
