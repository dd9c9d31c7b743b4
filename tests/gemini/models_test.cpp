// gemini.models_list against FakeGemini's paged GET /v1beta/models.
#include "gemini_harness.hpp"

using namespace gemini_test;

namespace {

std::vector<std::string> ids(const json::object& result) {
  std::vector<std::string> out;
  for (const auto& model : result.at("models").as_array()) out.emplace_back(model.at("id").as_string());
  return out;
}

}  // namespace

TEST_CASE("models_list follows the pages and lists the models that can generate content") {
  FakeGemini fake;  // 7 models, 3 per page
  auto mcpd = start_mcpd(gemini_section(fake));
  const auto result = call_ok(*mcpd, "gemini.models_list", {});
  CHECK(ids(result) == std::vector<std::string>{"gemini-3.5-flash", "gemini-3.8-pro",
                                                "gemini-3.9-flash-preview", "gemini-flash-latest",
                                                "gemini-3.8-flash-lite", "gemini-3.8-flash"});
  CHECK(result.at("provider") == "gemini");
  // No model configured: the newest stable Flash model of this listing is what a call without one uses.
  CHECK(result.at("default_model") == "gemini-3.8-flash");
  CHECK(result.at("default_model_source") == "automatic");
  CHECK_FALSE(result.contains("next_cursor"));
  const auto& first = result.at("models").at(0).as_object();
  CHECK(first.at("display_name") == "Gemini 3.5 Flash");
  CHECK(first.at("input_token_limit") == 1048576);
  CHECK(first.at("supported_actions") == json::parse(R"(["generateContent","countTokens"])"));

  const auto requests = fake.requests(kModels);
  REQUIRE(requests.size() == 3);
  CHECK(requests[0].target.find("pageToken") == std::string::npos);
  CHECK(requests[1].target.find("pageToken=fake-page-3") != std::string::npos);
  CHECK(requests[2].target.find("pageToken=fake-page-6") != std::string::npos);
  for (const auto& request : requests) {
    CHECK(request.api_key_header == FakeGemini::kApiKey);
    CHECK(request.target.find("key=") == std::string::npos);
  }
}

TEST_CASE("models_list with include_all, limit and cursor") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  const auto all = call_ok(*mcpd, "gemini.models_list", json::object{{"include_all", true}});
  CHECK(ids(all).size() == 7);

  const auto first = call_ok(*mcpd, "gemini.models_list", json::object{{"limit", 4}});
  CHECK(ids(first) == std::vector<std::string>{"gemini-3.5-flash", "gemini-3.8-pro",
                                               "gemini-3.9-flash-preview", "gemini-flash-latest"});
  REQUIRE(first.contains("next_cursor"));
  const auto second =
      call_ok(*mcpd, "gemini.models_list", json::object{{"limit", 4}, {"cursor", first.at("next_cursor")}});
  CHECK(ids(second) == std::vector<std::string>{"gemini-3.8-flash-lite", "gemini-3.8-flash"});
  CHECK_FALSE(second.contains("next_cursor"));

  const auto error = call_error(*mcpd, "gemini.models_list", json::object{{"cursor", "bm90IGEgY3Vyc29y"}});
  CHECK_THAT(error, Catch::Contains("cursor"));
}

TEST_CASE("models_list errors are mapped") {
  FakeGemini fake;
  SECTION("a wrong key") {
    auto mcpd = start_mcpd(gemini_section(fake, json::object{{"api_key", "AIzaNotTheRightKey000000000"}}));
    CHECK_THAT(call_error(*mcpd, "gemini.models_list", {}), Catch::Contains("refused the API key"));
  }
  SECTION("a 503 that persists") {
    auto mcpd = start_mcpd(gemini_section(fake));
    fake.push_reply(kModels, {503, gemini_error(503, "UNAVAILABLE", "The service is currently unavailable.")},
                    3);
    CHECK_THAT(call_error(*mcpd, "gemini.models_list", {}), Catch::Contains("after 3 attempts"));
    CHECK(fake.request_count(kModels) == 3);
  }
}
