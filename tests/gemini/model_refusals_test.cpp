// What Gemini refuses about the model of a call, through mcpd and FakeGemini: a withdrawn model (404
// NOT_FOUND, whether configured, passed or chosen automatically) is reported with the models available
// now; a withdrawn model Google reroutes reports the model that answered; and a 3.6+ model's refusal of
// temperature names the parameter to leave out. Sampling parameters are sent only when given.
#include "gemini_harness.hpp"

using namespace gemini_test;

namespace {

json::object simple_question() {
  return json::object{{"question", "What is this?"}, {"images", json::array{image_argument(make_png(4, 4))}}};
}

const std::string available_now =
    "Models available now: gemini-3.8-flash, gemini-3.5-flash, gemini-3.8-pro, gemini-3.8-flash-lite, "
    "gemini-3.9-flash-preview, gemini-flash-latest.";

std::string gemini_said_not_found(const std::string& model) {
  return " Gemini said: \"models/" + model +
         " is not found for API version v1beta, or is not supported for generateContent. Call ListModels to "
         "see "
         "the list of available models and their supported methods.\"";
}

}  // namespace

TEST_CASE("a configured model that Gemini withdrew is named, with the models available and the fix") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake, json::object{{"default_model", "gemini-2.5-flash"}}));
  CHECK(
      call_error(*mcpd, "gemini_ask_about_images", simple_question()) ==
      "gemini_ask_about_images: Gemini does not offer model \"gemini-2.5-flash\" (HTTP 404 NOT_FOUND): it "
      "was "
      "withdrawn, or the name is misspelled. " +
          available_now +
          " It is configured as plugin_config.gemini.default_model: set that to one of them, or remove it to "
          "use the newest stable Flash model automatically (now gemini-3.8-flash)." +
          gemini_said_not_found("gemini-2.5-flash"));
  CHECK(fake.request_count(kGenerate) == 1);  // a 404 is not retried
  CHECK(fake.models_listings() == 1);         // the listing behind "available now"
}

TEST_CASE("a model passed in the call that Gemini does not offer") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  auto arguments = simple_question();
  arguments["model"] = "gemini-2.0-flash-exp";
  CHECK(call_error(*mcpd, "gemini_ask_about_images", arguments) ==
        "gemini_ask_about_images: Gemini does not offer model \"gemini-2.0-flash-exp\" (HTTP 404 NOT_FOUND): "
        "it "
        "was withdrawn, or the name is misspelled. " +
            available_now +
            " Pass one of them as \"model\", or leave \"model\" out to use the default model." +
            gemini_said_not_found("gemini-2.0-flash-exp"));
}

TEST_CASE("an automatic choice withdrawn before its refresh is replaced at once") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  CHECK(call_ok(*mcpd, "gemini_ask_about_images", simple_question()).at("model") == "gemini-3.8-flash");

  fake.withdraw_model("gemini-3.8-flash");
  const auto error = call_error(*mcpd, "gemini_ask_about_images", simple_question());
  CHECK_THAT(error,
             Catch::StartsWith("gemini_ask_about_images: Gemini does not offer model \"gemini-3.8-flash\""));
  CHECK_THAT(error,
             Catch::Contains(" It was the automatic choice, which is now gemini-3.5-flash: call again."));

  // The listing behind the message refreshed the choice: no further listing needed.
  const auto listings = fake.models_listings();
  CHECK(call_ok(*mcpd, "gemini_ask_about_images", simple_question()).at("model") == "gemini-3.5-flash");
  CHECK(fake.models_listings() == listings);
}

TEST_CASE("a withdrawn model that Google reroutes reports the model that answered") {
  FakeGemini fake;
  fake.reroute_model("gemini-2.5-flash", "gemini-3.8-flash");
  auto mcpd = start_mcpd(gemini_section(fake, json::object{{"default_model", "gemini-2.5-flash"}}));
  const auto result = call_ok(*mcpd, "gemini_ask_about_images", simple_question());
  CHECK(fake.requests(kGenerate).at(0).model == "gemini-2.5-flash");
  CHECK(result.at("model") == "gemini-3.8-flash");  // Gemini's modelVersion, not the name asked for
}

TEST_CASE("temperature is sent only when given, and a model that refuses it says to leave it out") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));

  SECTION("not given: no generationConfig at all") {
    call_ok(*mcpd, "gemini_ask_about_images", simple_question());
    const auto body = json::parse(fake.requests(kGenerate).at(0).body).as_object();
    CHECK_FALSE(body.contains("generationConfig"));
  }
  SECTION("given to a 3.8 model, which refuses it") {
    auto arguments = simple_question();
    arguments["temperature"] = 0.2;
    CHECK(call_error(*mcpd, "gemini_ask_about_images", arguments) ==
          "gemini_ask_about_images: model \"gemini-3.8-flash\" does not accept temperature (HTTP 400 "
          "INVALID_ARGUMENT): newer Gemini models (3.6 and later) set their own sampling. Leave "
          "\"temperature\" "
          "out of the call and ask again. Gemini said: \"* "
          "GenerateContentRequest.generation_config.temperature: "
          "temperature is not supported by models/gemini-3.8-flash; sampling parameters are deprecated on "
          "Gemini 3.6 and later models.\"");
    CHECK(fake.request_count(kGenerate) == 1);  // not retried
  }
  SECTION("given to a 3.5 model, which takes it") {
    auto arguments = simple_question();
    arguments["temperature"] = 0.2;
    arguments["model"] = "gemini-3.5-flash";
    CHECK(call_ok(*mcpd, "gemini_ask_about_images", arguments).at("model") == "gemini-3.5-flash");
    const auto body = json::parse(fake.requests(kGenerate).at(0).body).as_object();
    CHECK(body.at("generationConfig").at("temperature").to_number<double>() == Approx(0.2));
  }
}
