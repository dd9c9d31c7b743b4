// Pure pieces of the gemini plugin (gemini_core): base64, image headers, Google error bodies, fitting.
#include <catch2/catch.hpp>

#include "base64.hpp"
#include "error_mapping.hpp"
#include "google_error.hpp"
#include "image_downscale.hpp"
#include "image_format.hpp"
#include "libav_images.hpp"
#include "structured_answer.hpp"

using namespace mcpd::gemini;
using namespace std::chrono_literals;

TEST_CASE("base64 round-trips and refuses malformed text") {
  const std::vector<std::uint8_t> bytes = {0, 1, 2, 250, 251, 252, 253};
  for (std::size_t n = 1; n <= bytes.size(); ++n) {
    const std::vector<std::uint8_t> prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    CHECK(base64_decode(base64_encode(prefix)) == prefix);
  }
  CHECK(base64_decode("aGVs\nbG8=") == std::vector<std::uint8_t>{'h', 'e', 'l', 'l', 'o'});
  std::string why;
  CHECK_FALSE(base64_decode("aGVsbG8*", &why));
  CHECK_THAT(why, Catch::Contains("character 7"));
  CHECK_FALSE(base64_decode("aGV-bG8=", &why));
  CHECK_THAT(why, Catch::Contains("base64url"));
  CHECK_FALSE(base64_decode("aGVsb", &why));
  CHECK_FALSE(base64_decode("aG=sbG8=", &why));
  CHECK_FALSE(base64_decode("", &why));
}

TEST_CASE("image headers give format and size") {
  // PNG signature + IHDR 640x480
  std::vector<std::uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0,   0, 0,
                                   13,   'I', 'H', 'D', 'R',  0,    0,    2,    128, 0, 0,
                                   1,    224, 8,   2,   0,    0,    0,    0,    0,   0, 0};
  auto header = read_image_header(png);
  REQUIRE(header);
  CHECK(header->format == image_format::png);
  CHECK(header->width == 640);
  CHECK(header->height == 480);

  // JPEG: SOI, APP0 (length 4), SOF0 with height 300, width 200
  std::vector<std::uint8_t> jpeg = {0xFF, 0xD8, 0xFF, 0xE0, 0, 4,   0, 0, 0xFF, 0xC0, 0,
                                    11,   8,    1,    44,   0, 200, 3, 0, 0,    0};
  header = read_image_header(jpeg);
  REQUIRE(header);
  CHECK(header->format == image_format::jpeg);
  CHECK(header->width == 200);
  CHECK(header->height == 300);

  // WebP VP8X canvas 1920x1080
  std::vector<std::uint8_t> webp = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E',  'B',  'P', 'V',  'P',  '8',
                                    'X', 10,  0,   0,   0, 0, 0, 0, 0,   0x7F, 0x07, 0,   0x37, 0x04, 0};
  header = read_image_header(webp);
  REQUIRE(header);
  CHECK(header->format == image_format::webp);
  CHECK(header->width == 1920);
  CHECK(header->height == 1080);

  std::vector<std::uint8_t> truncated(png.begin(), png.begin() + 12);
  CHECK_FALSE(read_image_header(truncated));
  CHECK(sniff_image_format(truncated) == image_format::png);
}

TEST_CASE("Google error bodies: RetryInfo, QuotaFailure, ErrorInfo") {
  CHECK(parse_protobuf_duration("19s") == 19000ms);
  CHECK(parse_protobuf_duration("3.700s") == 3700ms);
  CHECK(parse_protobuf_duration("0.5s") == 500ms);
  CHECK_FALSE(parse_protobuf_duration("5"));
  CHECK_FALSE(parse_protobuf_duration("abc s"));

  const auto error = parse_google_error(
      R"({"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":"quota","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"52758s"}]}})");
  REQUIRE(error);
  CHECK(error->code == 429);
  CHECK(error->daily_quota());
  CHECK(error->retry_delay == 52758000ms);

  mcpd::sdk::http::response reply;
  reply.status = 429;
  reply.body =
      R"({"error":{"code":429,"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2s"}]}})";
  const auto advice = gemini_retry_advice(reply);
  CHECK(advice.verdict == mcpd::sdk::http::retry_advice::decision::retry);
  CHECK(advice.delay == 2000ms);
  CHECK_FALSE(parse_google_error("not json"));
}

TEST_CASE("fit_long_edge never upscales and keeps the aspect ratio") {
  int w = 0, h = 0;
  fit_long_edge(2560, 1440, 1280, w, h);
  CHECK((w == 1280 && h == 720));
  fit_long_edge(1000, 3000, 1500, w, h);
  CHECK((w == 500 && h == 1500));
  fit_long_edge(800, 600, 1280, w, h);
  CHECK((w == 800 && h == 600));
}

TEST_CASE("code fences around JSON are removed") {
  CHECK(without_code_fence("```json\n{\"a\":1}\n```") == "{\"a\":1}");
  CHECK(without_code_fence("{\"a\":1}") == "{\"a\":1}");
}

TEST_CASE("image headers of real JPEG and WebP encoder output, and their downscaling") {
  const auto jpeg = gemini_test::make_jpeg(640, 360);
  auto header = read_image_header(jpeg);
  REQUIRE(header);
  CHECK(header->format == image_format::jpeg);
  CHECK((header->width == 640 && header->height == 360));
  const auto smaller = downscale_to_png(jpeg, image_format::jpeg, 320);
  CHECK((smaller.width == 320 && smaller.height == 180));
  CHECK(read_image_header(smaller.png)->width == 320);

  for (const bool lossless : {false, true}) {
    const auto webp = gemini_test::make_webp(300, 500, lossless);
    if (webp.empty()) {
      WARN("this FFmpeg has no libwebp encoder; WebP not checked");
      continue;
    }
    header = read_image_header(webp);
    REQUIRE(header);
    CHECK(header->format == image_format::webp);
    CHECK((header->width == 300 && header->height == 500));
    const auto scaled = downscale_to_png(webp, image_format::webp, 100);
    CHECK((scaled.width == 60 && scaled.height == 100));
  }
}

TEST_CASE("Gemini and OpenAI error messages never carry part of a key, wherever the body echoes it",
          "[unit][secrets]") {
  constexpr std::string_view key = "AIzaSySECRETVALUE12345678901234567890";
  mcpd::sdk::http::secret_list secrets;
  secrets.add(key);
  const failure_context context{"gemini.ask_about_images", "gemini-2.5-flash", provider_operation::generate,
                                std::chrono::milliseconds(1000), &secrets};
  for (std::size_t offset = 0; offset <= 560; ++offset) {
    INFO("key at " << offset);
    const std::string echoed =
        std::string(offset, 'x') + "x-goog-api-key: " + std::string(key) + " is not valid for this project";
    for (const std::string& body : {echoed, R"({"error":{"code":400,"message":")" + echoed + R"("}})",
                                    R"({"error":")" + echoed + R"("})"}) {
      mcpd::sdk::http::outcome outcome;
      outcome.reply = mcpd::sdk::http::response{400, body, {}};
      outcome.attempts = 1;
      for (const std::string& message :
           {describe_gemini_failure(context, outcome), describe_openai_failure(context, outcome),
            body_excerpt(body, &secrets)}) {
        for (std::size_t at = 0; at + 5 <= key.size(); ++at) {
          INFO(message);
          REQUIRE(message.find(key.substr(at, 5)) == std::string::npos);
        }
      }
    }
  }
}
