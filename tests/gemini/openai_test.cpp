// The openai_compatible provider against FakeGemini's OpenAI-compatible routes (what Ollama, llama.cpp,
// vLLM, OpenAI and Gemini's own /v1beta/openai endpoint speak).
#include "gemini_harness.hpp"

using namespace gemini_test;

namespace {

json::object question_about(json::array images) {
  return json::object{{"question", "What is on screen?"}, {"images", std::move(images)}};
}

}  // namespace

TEST_CASE("openai_compatible: images as data: URLs, system message, Bearer key, answer and usage") {
  FakeGemini fake;
  auto mcpd = start_mcpd(openai_section(fake));
  const auto first = make_png(12, 9, 1);
  const auto second = make_png(9, 12, 2);
  auto arguments = question_about({image_argument(first, "image/png", "Frame 1"), image_argument(second)});
  arguments["system_instruction"] = "Be brief.";
  arguments["max_output_tokens"] = 300;
  arguments["temperature"] = 0.0;

  const auto result = call_ok(*mcpd, "gemini_ask_about_images", arguments);
  CHECK(result.at("answer") == "I see 2 images.");
  CHECK(result.at("finish_reason") == "stop");
  CHECK(result.at("model") == "llava:13b");
  CHECK(result.at("provider") == "openai_compatible");
  CHECK(result.at("usage") == json::parse(R"({"prompt_tokens":900,"output_tokens":40,"total_tokens":940})"));

  const auto requests = fake.requests(kChat);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].authorization == std::string("Bearer ") + FakeGemini::kOpenAiKey);
  CHECK(requests[0].api_key_header.empty());
  const auto body = json::parse(requests[0].body).as_object();
  CHECK(body.at("model") == "llava:13b");
  CHECK(body.at("max_tokens") == 300);
  const auto& messages = body.at("messages").as_array();
  REQUIRE(messages.size() == 2);
  CHECK(messages[0] == json::parse(R"({"role":"system","content":"Be brief."})"));
  const auto& content = messages[1].at("content").as_array();
  REQUIRE(content.size() == 4);
  CHECK(content.back() == json::parse(R"({"type":"text","text":"What is on screen?"})"));
  const auto images = FakeGemini::chat_images(body);
  REQUIRE(images.size() == 2);
  CHECK(images[0].label == "Frame 1");
  CHECK(images[0].mime_type == "image/png");
  CHECK(images[0].bytes == first);
  CHECK(images[1].bytes == second);
  CHECK_FALSE(leaks_secret(mcpd->diagnostics()));
}

TEST_CASE("openai_compatible: response_schema becomes response_format json_schema") {
  FakeGemini fake;
  auto mcpd = start_mcpd(openai_section(fake));
  const auto schema =
      json::parse(R"({"type":"object","properties":{"dialog":{"type":"string"}},"required":["dialog"]})");
  auto arguments = question_about({image_argument(make_png(4, 4))});
  arguments["response_schema"] = schema;
  // Local models often fence their JSON; the fence is tolerated.
  fake.push_reply(kChat, {200, chat_answer("```json\n{\"dialog\": \"Print\"}\n```")});
  const auto result = call_ok(*mcpd, "gemini_ask_about_images", arguments);
  CHECK(result.at("answer_json") == json::parse(R"({"dialog":"Print"})"));
  const auto body = json::parse(fake.requests(kChat).at(0).body).as_object();
  CHECK(body.at("response_format") ==
        json::value(json::object{{"type", "json_schema"},
                                 {"json_schema", json::object{{"name", "answer"}, {"schema", schema}}}}));
}

TEST_CASE("openai_compatible: a local server without a key, and models_list") {
  FakeGemini fake;
  fake.set_openai_requires_key(false);
  auto section = openai_section(fake);
  section["openai_compatible"].as_object().erase("api_key");
  auto mcpd = start_mcpd(section);
  call_ok(*mcpd, "gemini_ask_about_images", question_about({image_argument(make_png(4, 4))}));
  CHECK(fake.requests(kChat).at(0).authorization.empty());

  const auto models = call_ok(*mcpd, "gemini_models_list", {});
  CHECK(models.at("provider") == "openai_compatible");
  CHECK(models.at("default_model") == "llava:13b");
  REQUIRE(models.at("models").as_array().size() == 2);
  CHECK(models.at("models").at(1).at("id") == "qwen2.5vl:7b");
}

TEST_CASE("openai_compatible: errors are mapped") {
  FakeGemini fake;
  SECTION("a wrong key") {
    auto mcpd = start_mcpd(openai_section(
        fake, json::object{{"openai_compatible", json::object{{"api_key", "sk-wrong-wrong-wrong"}}}}));
    const auto error =
        call_error(*mcpd, "gemini_ask_about_images", question_about({image_argument(make_png(4, 4))}));
    CHECK_THAT(error, Catch::Contains("refused the API key") &&
                          Catch::Contains("openai_compatible.api_key") &&
                          Catch::Contains("Incorrect API key"));
    CHECK(error.find("sk-wrong-wrong-wrong") == std::string::npos);
  }
  SECTION("an unknown model") {
    auto mcpd = start_mcpd(openai_section(fake));
    fake.push_reply(
        kChat,
        {404,
         json::parse(
             R"({"error":{"message":"model \"llava:34b\" not found, try pulling it first","type":"api_error","param":null,"code":null}})")});
    auto arguments = question_about({image_argument(make_png(4, 4))});
    arguments["model"] = "llava:34b";
    const auto error = call_error(*mcpd, "gemini_ask_about_images", arguments);
    CHECK_THAT(error, Catch::Contains("does not know model \"llava:34b\"") &&
                          Catch::Contains("gemini_models_list") && Catch::Contains("try pulling it first"));
  }
  SECTION("5xx retried, then reported") {
    auto mcpd = start_mcpd(openai_section(fake));
    fake.push_reply(kChat, {500, openai_error("The server had an error", "server_error", "internal")}, 3);
    const auto error =
        call_error(*mcpd, "gemini_ask_about_images", question_about({image_argument(make_png(4, 4))}));
    CHECK_THAT(error, Catch::Contains("failed (HTTP 500) after 3 attempts"));
    CHECK(fake.request_count(kChat) == 3);
  }
  SECTION("a model that wants max_completion_tokens") {
    auto mcpd = start_mcpd(openai_section(fake));
    fake.push_reply(
        kChat, {400, openai_error("Unsupported parameter: 'max_tokens' is not supported with this model. "
                                  "Use 'max_completion_tokens' instead.",
                                  "invalid_request_error", "unsupported_parameter")});
    auto arguments = question_about({image_argument(make_png(4, 4))});
    arguments["max_output_tokens"] = 100;
    const auto error = call_error(*mcpd, "gemini_ask_about_images", arguments);
    CHECK_THAT(error, Catch::Contains("call again without max_output_tokens"));
    CHECK(fake.request_count(kChat) == 1);
  }
  SECTION("length without text") {
    auto mcpd = start_mcpd(openai_section(fake));
    fake.push_reply(kChat, {200, chat_answer("", "length")});
    const auto error =
        call_error(*mcpd, "gemini_ask_about_images", question_about({image_argument(make_png(4, 4))}));
    CHECK_THAT(error, Catch::Contains("Raise max_output_tokens"));
  }
  SECTION("not configured") {
    auto mcpd = start_mcpd(json::object{{"provider", "openai_compatible"}});
    const auto error =
        call_error(*mcpd, "gemini_ask_about_images", question_about({image_argument(make_png(4, 4))}));
    CHECK_THAT(error, Catch::Contains("openai_compatible.base_url"));
  }
}
