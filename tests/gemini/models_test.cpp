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
  FakeGemini fake;  // 5 models, 3 per page
  auto mcpd = start_mcpd(gemini_section(fake));
  const auto result = call_ok(*mcpd, "gemini.models_list", {});
  CHECK(ids(result) == std::vector<std::string>{"gemini-2.5-flash", "gemini-2.5-pro", "gemini-flash-latest",
                                                "gemini-2.5-flash-lite"});
  CHECK(result.at("provider") == "gemini");
  CHECK(result.at("default_model") == "gemini-2.5-flash");
  CHECK_FALSE(result.contains("next_cursor"));
  const auto& first = result.at("models").at(0).as_object();
  CHECK(first.at("display_name") == "Gemini 2.5 Flash");
  CHECK(first.at("input_token_limit") == 1048576);
  CHECK(first.at("supported_actions") == json::parse(R"(["generateContent","countTokens"])"));

  const auto requests = fake.requests(kModels);
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].target.find("pageToken") == std::string::npos);
  CHECK(requests[1].target.find("pageToken=fake-page-3") != std::string::npos);
  for (const auto& request : requests) {
    CHECK(request.api_key_header == FakeGemini::kApiKey);
    CHECK(request.target.find("key=") == std::string::npos);
  }
}

TEST_CASE("models_list with include_all, limit and cursor") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  const auto all = call_ok(*mcpd, "gemini.models_list", json::object{{"include_all", true}});
  CHECK(ids(all).size() == 5);

  const auto first = call_ok(*mcpd, "gemini.models_list", json::object{{"limit", 3}});
  CHECK(ids(first) == std::vector<std::string>{"gemini-2.5-flash", "gemini-2.5-pro", "gemini-flash-latest"});
  REQUIRE(first.contains("next_cursor"));
  const auto second =
      call_ok(*mcpd, "gemini.models_list", json::object{{"limit", 3}, {"cursor", first.at("next_cursor")}});
  CHECK(ids(second) == std::vector<std::string>{"gemini-2.5-flash-lite"});
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
