// A model's refusal of a sampling parameter (Gemini 3.6 and later refuse temperature, top_p and top_k), read
// from the error answer by error_mapping and reported by the argument's name.
#include <catch2/catch.hpp>

#include "error_mapping.hpp"

using namespace mcpd::gemini;
using namespace std::chrono_literals;

TEST_CASE("a refused sampling parameter is named, with the advice to leave it out") {
  failure_context context{"gemini.ask_about_images", "gemini-3.8-flash", provider_operation::generate, 1000ms,
                          nullptr};
  context.sampling_sent = {"temperature"};
  mcpd::sdk::http::outcome outcome;
  outcome.attempts = 1;
  const std::string google_message =
      "* GenerateContentRequest.generation_config.temperature: temperature is not supported by "
      "models/gemini-3.8-flash; sampling parameters are deprecated on Gemini 3.6 and later models.";
  const std::string expected =
      "gemini.ask_about_images: model \"gemini-3.8-flash\" does not accept temperature (HTTP 400 "
      "INVALID_ARGUMENT): newer Gemini models (3.6 and later) set their own sampling. Leave \"temperature\" "
      "out "
      "of the call and ask again. Gemini said: \"" +
      google_message + "\"";

  SECTION("named in the message") {
    outcome.reply = mcpd::sdk::http::response{
        400,
        R"({"error":{"code":400,"status":"INVALID_ARGUMENT","message":")" + google_message + R"("}})",
        {}};
    CHECK(describe_gemini_failure(context, outcome) == expected);
  }
  SECTION("named by a google.rpc.BadRequest field violation") {
    outcome.reply = mcpd::sdk::http::response{
        400,
        R"({"error":{"code":400,"status":"INVALID_ARGUMENT","message":"Request contains an invalid argument.","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"generation_config.temperature"}]}]}})",
        {}};
    CHECK_THAT(
        describe_gemini_failure(context, outcome),
        Catch::StartsWith("gemini.ask_about_images: model \"gemini-3.8-flash\" does not accept temperature"));
  }
  SECTION("not sent: an ordinary invalid request") {
    context.sampling_sent.clear();
    outcome.reply = mcpd::sdk::http::response{
        400,
        R"({"error":{"code":400,"status":"INVALID_ARGUMENT","message":")" + google_message + R"("}})",
        {}};
    CHECK_THAT(describe_gemini_failure(context, outcome),
               Catch::StartsWith("gemini.ask_about_images: Gemini rejected the request as invalid"));
  }
  SECTION("an OpenAI-compatible server") {
    context.model = "o4-mini";
    outcome.reply = mcpd::sdk::http::response{
        400,
        R"({"error":{"message":"Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.","type":"invalid_request_error","param":"temperature","code":"unsupported_value"}})",
        {}};
    CHECK(
        describe_openai_failure(context, outcome) ==
        "gemini.ask_about_images: model \"o4-mini\" does not accept temperature (HTTP 400): newer models "
        "(reasoning models among them) set their own sampling. Leave \"temperature\" out of the call and ask "
        "again. The server said: \"Unsupported value: 'temperature' does not support 0.2 with this model. "
        "Only "
        "the default (1) value is supported.\"");
  }
}
