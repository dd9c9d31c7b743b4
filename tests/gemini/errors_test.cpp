// Every Gemini error shape mapped to a message that says what to do, and the retry rules: per-minute 429s
// wait RetryInfo.retryDelay, per-day 429s are not retried, 5xx are retried with backoff. (Unknown and
// withdrawn models, and refused sampling parameters: model_refusals_test.cpp.)
#include <chrono>

#include "gemini_harness.hpp"

using namespace gemini_test;
using namespace std::chrono;

namespace {

json::object simple_question() {
  return json::object{{"question", "What is this?"}, {"images", json::array{image_argument(make_png(4, 4))}}};
}

json::object per_minute_429(const std::string& delay) {
  return gemini_error(
      429, "RESOURCE_EXHAUSTED",
      "You exceeded your current quota, please check your plan and billing details.",
      json::array{quota_failure("GenerateRequestsPerMinutePerProjectPerModel-FreeTier"), retry_info(delay)});
}

}  // namespace

TEST_CASE("400 INVALID_ARGUMENT quotes Gemini's message and is not retried") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  fake.push_reply(kGenerate,
                  {400, gemini_error(400, "INVALID_ARGUMENT",
                                     "Unable to process input image. Please retry or report in "
                                     "https://developers.generativeai.google/guide/troubleshooting")});
  const auto error = call_error(*mcpd, "gemini.ask_about_images", simple_question());
  CHECK_THAT(error, Catch::Contains("rejected the request as invalid") &&
                        Catch::Contains("HTTP 400 INVALID_ARGUMENT") &&
                        Catch::Contains("Unable to process input image"));
  CHECK(fake.request_count(kGenerate) == 1);
}

TEST_CASE("a wrong key (400 API_KEY_INVALID) and a missing permission (403) point at the api_key setting") {
  FakeGemini fake;
  SECTION("wrong key") {
    auto mcpd = start_mcpd(gemini_section(fake, json::object{{"api_key", "AIzaWrongKeyWrongKeyWrongKey00"}}));
    const auto error = call_error(*mcpd, "gemini.ask_about_images", simple_question());
    CHECK_THAT(error, Catch::Contains("refused the API key") &&
                          Catch::Contains("plugin_config.gemini.api_key") &&
                          Catch::Contains("API key not valid"));
    CHECK(error.find("AIzaWrongKey") == std::string::npos);
    CHECK(mcpd->diagnostics().find("AIzaWrongKey") == std::string::npos);
  }
  SECTION("403 PERMISSION_DENIED") {
    auto mcpd = start_mcpd(gemini_section(fake));
    fake.push_reply(
        kGenerate,
        {403,
         gemini_error(403, "PERMISSION_DENIED",
                      "Generative Language API has not been used in project 123 before or it is disabled.")});
    const auto error = call_error(*mcpd, "gemini.ask_about_images", simple_question());
    CHECK_THAT(error, Catch::Contains("refused the API key") &&
                          Catch::Contains("HTTP 403 PERMISSION_DENIED") && Catch::Contains("GEMINI_API_KEY"));
    CHECK(fake.request_count(kGenerate) == 1);
  }
}

TEST_CASE("an echoed key is redacted from the quoted message") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  fake.push_reply(kGenerate, {400, gemini_error(400, "INVALID_ARGUMENT",
                                                std::string("bad request for key ") + FakeGemini::kApiKey)});
  const auto error = call_error(*mcpd, "gemini.ask_about_images", simple_question());
  CHECK_THAT(error, Catch::Contains("[redacted]"));
}

TEST_CASE("a per-minute 429 is retried after RetryInfo.retryDelay") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  fake.push_reply(kGenerate, {429, per_minute_429("0.600s")});
  const auto result = call_ok(*mcpd, "gemini.ask_about_images", simple_question());
  CHECK(result.at("answer") == "I see 1 images.");
  const auto requests = fake.requests(kGenerate);
  REQUIRE(requests.size() == 2);
  const auto waited = duration_cast<milliseconds>(requests[1].received_at - requests[0].received_at);
  CHECK(waited >= milliseconds(550));  // the retryDelay, not the 1-20 ms backoff of the test config
  CHECK(waited < milliseconds(3000));
}

TEST_CASE("a per-minute 429 that persists is reported with the wait after the configured attempts") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  fake.push_reply(kGenerate, {429, per_minute_429("0.05s")}, 3);
  const auto error = call_error(*mcpd, "gemini.ask_about_images", simple_question());
  CHECK_THAT(error, Catch::Contains("rate limited") &&
                        Catch::Contains("GenerateRequestsPerMinutePerProjectPerModel") &&
                        Catch::Contains("after 3 attempts"));
  CHECK(fake.request_count(kGenerate) == 3);
}

TEST_CASE("a retryDelay longer than max_retry_delay_ms is reported, not waited for") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  fake.push_reply(kGenerate, {429, per_minute_429("42s")});
  const auto started = steady_clock::now();
  const auto error = call_error(*mcpd, "gemini.ask_about_images", simple_question());
  CHECK(steady_clock::now() - started < seconds(5));
  CHECK_THAT(error, Catch::Contains("wait 42 s") && Catch::Contains("max_retry_delay_ms"));
  CHECK(fake.request_count(kGenerate) == 1);
}

TEST_CASE("a per-day 429 is not retried and is called a daily quota") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  fake.push_reply(
      kGenerate,
      {429, gemini_error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.",
                         json::array{quota_failure("GenerateRequestsPerDayPerProjectPerModel-FreeTier"),
                                     retry_info("52758s")})});
  const auto error = call_error(*mcpd, "gemini.ask_about_images", simple_question());
  CHECK_THAT(error, Catch::Contains("daily quota") && Catch::Contains("not retried") &&
                        Catch::Contains("GenerateRequestsPerDayPerProjectPerModel-FreeTier"));
  CHECK(fake.request_count(kGenerate) == 1);
}

TEST_CASE("5xx answers are retried with backoff") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  SECTION("a 500 then a 503 then success") {
    fake.push_reply(kGenerate, {500, gemini_error(500, "INTERNAL", "An internal error has occurred.")});
    fake.push_reply(kGenerate, {503, gemini_error(503, "UNAVAILABLE",
                                                  "The model is overloaded. Please try again later.")});
    const auto result = call_ok(*mcpd, "gemini.ask_about_images", simple_question());
    CHECK(result.at("answer") == "I see 1 images.");
    CHECK(fake.request_count(kGenerate) == 3);
  }
  SECTION("a 503 that persists is reported after max_attempts") {
    fake.push_reply(
        kGenerate,
        {503, gemini_error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")}, 3);
    const auto error = call_error(*mcpd, "gemini.ask_about_images", simple_question());
    CHECK_THAT(error, Catch::Contains("server error") && Catch::Contains("HTTP 503 UNAVAILABLE") &&
                          Catch::Contains("after 3 attempts") && Catch::Contains("overloaded"));
    CHECK(fake.request_count(kGenerate) == 3);
  }
}

TEST_CASE("an unreachable server and a missing key are reported with the setting to fix") {
  FakeGemini fake;
  SECTION("nothing listens at api_base_url") {
    auto mcpd = start_mcpd(gemini_section(fake, json::object{{"api_base_url", "http://127.0.0.1:1"},
                                                             {"retry", json::object{{"max_attempts", 1}}}}));
    const auto error = call_error(*mcpd, "gemini.ask_about_images", simple_question());
    CHECK_THAT(error, Catch::Contains("could not connect") && Catch::Contains("api_base_url"));
  }
  SECTION("no key") {
    auto section = gemini_section(fake);
    section.erase("api_key");
    auto mcpd = start_mcpd(section);
    const auto error = call_error(*mcpd, "gemini.ask_about_images", simple_question());
    CHECK_THAT(error,
               Catch::Contains("no Gemini API key is configured") && Catch::Contains("GEMINI_API_KEY"));
    // The tool is named as clients see it in tools/list (the default separator is "_").
    CHECK_THAT(error, Catch::StartsWith("gemini_ask_about_images cannot run"));
    CHECK(fake.request_count(kGenerate) == 0);
  }
  SECTION("the key from GEMINI_API_KEY and the URL from GEMINI_API_BASE_URL are used, the key never shown") {
    auto section = gemini_section(fake);
    section.erase("api_key");
    section.erase("api_base_url");
    auto mcpd = start_mcpd(section, {std::string("GEMINI_API_KEY=") + FakeGemini::kApiKey,
                                     "GEMINI_API_BASE_URL=" + fake.base_url()});
    call_ok(*mcpd, "gemini.ask_about_images", simple_question());
    CHECK(fake.requests(kGenerate).at(0).api_key_header == FakeGemini::kApiKey);
    CHECK_FALSE(leaks_secret(mcpd->diagnostics()));
  }
}

TEST_CASE("an answer that is not a JSON object names the base URL setting to check") {
  FakeGemini fake;
  SECTION("Gemini") {
    auto mcpd = start_mcpd(gemini_section(fake));
    fake.push_reply(kGenerate, {200, json::value("<html>captive portal</html>")});
    const auto error = call_error(*mcpd, "gemini.ask_about_images", simple_question());
    CHECK_THAT(error, Catch::Contains("Gemini answered with something that is not a JSON object") &&
                          Catch::Contains("captive portal") &&
                          Catch::Contains("plugin_config.gemini.api_base_url"));
    fake.push_reply(kModels, {200, json::value("<html>captive portal</html>")});
    const auto listing = call_error(*mcpd, "gemini.models_list", {});
    CHECK_THAT(listing,
               Catch::Contains("Gemini answered the models listing with something that is not a JSON"));
  }
  SECTION("OpenAI-compatible") {
    auto mcpd = start_mcpd(openai_section(fake));
    fake.push_reply(kChat, {200, json::value("<html>captive portal</html>")});
    const auto error = call_error(*mcpd, "gemini.ask_about_images", simple_question());
    CHECK_THAT(error, Catch::Contains("the model server answered with something that is not a JSON object") &&
                          Catch::Contains("plugin_config.gemini.openai_compatible.base_url"));
  }
}
