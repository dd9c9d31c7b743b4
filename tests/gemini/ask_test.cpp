// gemini.ask_about_images against FakeGemini: what is sent (header auth, body shape, the exact image
// bytes), what is returned, structured answers, and the answers Gemini withholds.
#include <lodepng.h>

#include "gemini_harness.hpp"
#include "libav_images.hpp"

using namespace gemini_test;

namespace {

json::object question_about(json::array images, const std::string& question = "What is on screen?") {
  return json::object{{"question", question}, {"images", std::move(images)}};
}

json::object only_request_body(const FakeGemini& fake) {
  const auto requests = fake.requests(kGenerate);
  REQUIRE(requests.size() == 1);
  return json::parse(requests.front().body).as_object();
}

}  // namespace

TEST_CASE("ask_about_images sends one image with the key only in the header and returns the answer") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  const auto png = make_png(32, 20, 1);

  const auto result = call_ok(*mcpd, "gemini.ask_about_images", question_about({image_argument(png)}));
  CHECK(result.at("answer") == "I see 1 images.");
  CHECK(result.at("finish_reason") == "STOP");
  CHECK(result.at("model") == "gemini-3.8-flash");  // the newest stable Flash model listed
  CHECK(result.at("provider") == "gemini");
  CHECK(
      result.at("usage") ==
      json::parse(R"({"prompt_tokens":1400,"output_tokens":80,"thoughts_tokens":300,"total_tokens":1780})"));
  CHECK_FALSE(result.contains("answer_json"));

  const auto requests = fake.requests(kGenerate);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].target == "/v1beta/models/gemini-3.8-flash:generateContent");
  CHECK(requests[0].api_key_header == FakeGemini::kApiKey);
  CHECK(requests[0].target.find("key") == std::string::npos);
  const auto body = json::parse(requests[0].body).as_object();
  const auto& parts = body.at("contents").at(0).at("parts").as_array();
  REQUIRE(parts.size() == 2);
  CHECK(parts[1].at("text") == "What is on screen?");  // the question is its own part, after the images
  CHECK_FALSE(body.contains("systemInstruction"));
  CHECK_FALSE(body.contains("generationConfig"));
  const auto images = FakeGemini::gemini_images(body);
  REQUIRE(images.size() == 1);
  CHECK(images[0].mime_type == "image/png");
  CHECK(images[0].bytes == png);

  CHECK_FALSE(leaks_secret(mcpd->diagnostics()));
}

TEST_CASE("ask_about_images sends six labelled images in order, the options, and the chosen model") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  json::array images;
  std::vector<std::vector<std::uint8_t>> pngs;
  for (unsigned i = 0; i < 6; ++i) {
    pngs.push_back(make_png(40 + i, 30, i));
    images.push_back(image_argument(pngs.back(), "image/png",
                                    "Frame " + std::to_string(i) + " at 00:0" + std::to_string(i)));
  }
  auto arguments = question_about(std::move(images), "Which dialog is open?");
  arguments["system_instruction"] = "Answer in one sentence.";
  arguments["temperature"] = 0.2;
  arguments["max_output_tokens"] = 512;
  arguments["model"] = "gemini-3.5-flash";  // older than 3.6: still takes a temperature

  const auto result = call_ok(*mcpd, "gemini.ask_about_images", arguments);
  CHECK(result.at("answer") == "I see 6 images.");
  CHECK(result.at("model") == "gemini-3.5-flash");

  const auto requests = fake.requests(kGenerate);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].model == "gemini-3.5-flash");
  CHECK(fake.models_listings() == 0);  // a call that names its model needs no listing
  const auto body = json::parse(requests[0].body).as_object();
  const auto received = FakeGemini::gemini_images(body);
  REQUIRE(received.size() == 6);
  for (unsigned i = 0; i < 6; ++i) {
    CHECK(received[i].bytes == pngs[i]);
    CHECK(received[i].label == "Frame " + std::to_string(i) + " at 00:0" + std::to_string(i));
  }
  const auto& parts = body.at("contents").at(0).at("parts").as_array();
  REQUIRE(parts.size() == 13);  // 6 x (label, image) + question
  CHECK(parts.back().at("text") == "Which dialog is open?");
  CHECK(body.at("systemInstruction") == json::parse(R"({"parts":[{"text":"Answer in one sentence."}]})"));
  const auto& config = body.at("generationConfig").as_object();
  CHECK(config.at("temperature").to_number<double>() == Approx(0.2));
  CHECK(config.at("maxOutputTokens") == 512);
}

TEST_CASE("an MCP image content block is accepted as an image as is") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  const auto png = make_png(8, 8, 3);
  json::object block{{"type", "image"},
                     {"data", base64(png)},
                     {"mimeType", "image/png"},
                     {"annotations", json::object{{"audience", json::array{"assistant"}}}}};
  call_ok(*mcpd, "gemini.ask_about_images", question_about({block}));
  CHECK(FakeGemini::gemini_images(only_request_body(fake)).at(0).bytes == png);
}

TEST_CASE("a structured answer is requested with responseJsonSchema, validated and returned as answer_json") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  const auto schema = json::parse(
      R"({"type":"object","properties":{"dialog":{"type":"string"},"buttons":{"type":"integer","minimum":0}},"required":["dialog","buttons"],"additionalProperties":false})");
  auto arguments = question_about({image_argument(make_png(10, 10))}, "Which dialog?");
  arguments["response_schema"] = schema;

  SECTION("a matching answer") {
    fake.push_reply(kGenerate, {200, gemini_answer(R"({"dialog":"Save changes?","buttons":3})")});
    const auto result = call_ok(*mcpd, "gemini.ask_about_images", arguments);
    CHECK(result.at("answer_json") == json::parse(R"({"dialog":"Save changes?","buttons":3})"));
    const auto config = only_request_body(fake).at("generationConfig").as_object();
    CHECK(config.at("responseMimeType") == "application/json");
    CHECK(config.at("responseJsonSchema") == schema);
  }
  SECTION("JSON that violates the schema is an error naming the violation") {
    fake.push_reply(kGenerate, {200, gemini_answer(R"({"dialog":"Save changes?","buttons":-1})")});
    const auto error = call_error(*mcpd, "gemini.ask_about_images", arguments);
    CHECK_THAT(error, Catch::Contains("does not match response_schema") && Catch::Contains("buttons"));
  }
  SECTION("an answer that is not JSON is an error") {
    fake.push_reply(kGenerate, {200, gemini_answer("The save dialog.")});
    const auto error = call_error(*mcpd, "gemini.ask_about_images", arguments);
    CHECK_THAT(error, Catch::Contains("not valid JSON") && Catch::Contains("The save dialog."));
  }
  SECTION("an unusable schema is refused before anything is sent") {
    arguments["response_schema"] = json::parse(R"({"type":"object","required":"dialog"})");
    const auto error = call_error(*mcpd, "gemini.ask_about_images", arguments);
    CHECK_THAT(error, Catch::Contains("response_schema is not a usable JSON Schema"));
    CHECK(fake.request_count(kGenerate) == 0);
  }
}

TEST_CASE("thought parts are not part of the answer") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  auto answer = gemini_answer("");
  answer["candidates"].at(0).at("content").as_object()["parts"] = json::parse(
      R"([{"text":"Let me look at the toolbar first...","thought":true},{"text":"The "},{"text":"Save dialog."}])");
  fake.push_reply(kGenerate, {200, answer});
  const auto result =
      call_ok(*mcpd, "gemini.ask_about_images", question_about({image_argument(make_png(4, 4))}));
  CHECK(result.at("answer") == "The Save dialog.");
}

TEST_CASE("answers Gemini withholds are reported plainly") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  const auto arguments = question_about({image_argument(make_png(4, 4))});

  SECTION("a blocked prompt") {
    fake.push_reply(
        kGenerate,
        {200,
         json::parse(
             R"({"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":300,"totalTokenCount":300}})")});
    const auto error = call_error(*mcpd, "gemini.ask_about_images", arguments);
    CHECK_THAT(error, Catch::Contains("blocked the prompt") && Catch::Contains("SAFETY"));
  }
  SECTION("MAX_TOKENS before any text says to raise max_output_tokens") {
    fake.push_reply(kGenerate, {200, gemini_answer("", "MAX_TOKENS")});
    auto limited = arguments;
    limited["max_output_tokens"] = 16;
    const auto error = call_error(*mcpd, "gemini.ask_about_images", limited);
    CHECK_THAT(error, Catch::Contains("MAX_TOKENS") && Catch::Contains("Raise max_output_tokens") &&
                          Catch::Contains("16"));
  }
  SECTION("MAX_TOKENS with some text returns the cut answer and says so in finish_reason") {
    fake.push_reply(kGenerate, {200, gemini_answer("The dialog is", "MAX_TOKENS")});
    const auto result = call_ok(*mcpd, "gemini.ask_about_images", arguments);
    CHECK(result.at("answer") == "The dialog is");
    CHECK(result.at("finish_reason") == "MAX_TOKENS");
  }
  SECTION("SAFETY, RECITATION and PROHIBITED_CONTENT") {
    for (const std::string reason : {"SAFETY", "RECITATION", "PROHIBITED_CONTENT"}) {
      fake.push_reply(kGenerate, {200, gemini_answer("partial", reason)});
      const auto error = call_error(*mcpd, "gemini.ask_about_images", arguments);
      CHECK_THAT(error, Catch::Contains("finishReason " + reason));
    }
  }
}

TEST_CASE("images are checked before anything is sent") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  const auto png = make_png(6, 6);

  SECTION("invalid base64 names the image") {
    auto bad = image_argument(png);
    bad["data"] = "iVBORw0KGgo*AAAA";
    const auto error =
        call_error(*mcpd, "gemini.ask_about_images", question_about({image_argument(png), bad}));
    CHECK_THAT(error, Catch::Contains("images[1].data is not valid base64"));
  }
  SECTION("bytes that are not the declared format") {
    const auto error =
        call_error(*mcpd, "gemini.ask_about_images", question_about({image_argument(png, "image/jpeg")}));
    CHECK_THAT(error, Catch::Contains("images[0] is declared image/jpeg but its bytes are a PNG image"));
  }
  SECTION("bytes that are no image at all") {
    const std::string text = "just some text, not an image";
    const auto error = call_error(*mcpd, "gemini.ask_about_images",
                                  question_about({image_argument({text.begin(), text.end()})}));
    CHECK_THAT(error, Catch::Contains("images[0] is not a PNG, JPEG or WebP image"));
  }
  CHECK(fake.request_count(kGenerate) == 0);
}

TEST_CASE("a request over max_request_bytes is refused before sending") {
  FakeGemini fake;
  auto mcpd = start_mcpd(
      gemini_section(fake, json::object{{"max_request_bytes", 1048576}, {"max_image_long_edge", 4096}}));
  // Noise does not compress: 700x700 RGB is about 1.4 MB of PNG, 1.9 MB of base64.
  std::vector<unsigned char> pixels(700 * 700 * 3);
  std::uint32_t state = 12345;
  for (auto& p : pixels) {
    state = state * 1664525u + 1013904223u;
    p = static_cast<unsigned char>(state >> 24);
  }
  std::vector<unsigned char> png;
  REQUIRE(lodepng::encode(png, pixels, 700, 700, LCT_RGB, 8) == 0);
  const auto error = call_error(*mcpd, "gemini.ask_about_images",
                                question_about({image_argument({png.begin(), png.end()})}));
  CHECK_THAT(error, Catch::Contains("over plugin_config.gemini.max_request_bytes") &&
                        Catch::Contains("nothing was sent"));
  CHECK(fake.request_count(kGenerate) == 0);
}

TEST_CASE("an image over max_image_long_edge is downscaled, never upscaled") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake, json::object{{"max_image_long_edge", 256}}));
  const auto big = make_png(1000, 400, 5);
  const auto small = make_png(200, 100, 6);
  call_ok(*mcpd, "gemini.ask_about_images", question_about({image_argument(big), image_argument(small)}));
  const auto received = FakeGemini::gemini_images(only_request_body(fake));
  REQUIRE(received.size() == 2);
  CHECK(received[0].mime_type == "image/png");
  CHECK(png_size(received[0].bytes) == std::pair<unsigned, unsigned>{256, 102});
  CHECK(received[1].bytes == small);  // within the limit: sent untouched
}

TEST_CASE("large JPEG and WebP images are decoded and downscaled to PNG") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake, json::object{{"max_image_long_edge", 256}}));
  json::array images{image_argument(make_jpeg(900, 600), "image/jpeg")};
  const auto webp = make_webp(600, 300, true);
  if (!webp.empty()) images.push_back(image_argument(webp, "image/webp"));
  const auto small_jpeg = make_jpeg(120, 80);
  images.push_back(image_argument(small_jpeg, "image/jpeg"));

  call_ok(*mcpd, "gemini.ask_about_images", question_about(std::move(images)));
  const auto received = FakeGemini::gemini_images(only_request_body(fake));
  REQUIRE(received.size() == (webp.empty() ? 2u : 3u));
  CHECK(received.front().mime_type == "image/png");
  CHECK(png_size(received.front().bytes) == std::pair<unsigned, unsigned>{256, 171});
  if (!webp.empty()) CHECK(png_size(received[1].bytes) == std::pair<unsigned, unsigned>{256, 128});
  CHECK(received.back().mime_type == "image/jpeg");  // within the limit: sent as it came
  CHECK(received.back().bytes == small_jpeg);
  // Full-range JPEG is handed to swscale as such, so it does not complain on mcpd's stderr.
  CHECK(mcpd->diagnostics().find("deprecated pixel format") == std::string::npos);
}
