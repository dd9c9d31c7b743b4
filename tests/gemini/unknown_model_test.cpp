// The message for a model the provider does not offer (tools/unknown_model): the model, the models available
// now and what to change, for each place the model came from.
#include <catch2/catch.hpp>

#include "tools/unknown_model.hpp"

using namespace mcpd::gemini;

TEST_CASE("the message for a model the provider does not offer names it, the models available and the fix") {
  const unknown_model_error error("(the plain 404 message)", "gemini-2.5-flash", " (HTTP 404 NOT_FOUND)",
                                  " Gemini said: \"models/gemini-2.5-flash is not found\"");
  available_models available;
  available.names = {"gemini-3.8-flash", "gemini-3.8-pro"};
  available.more = 3;
  available.automatic = "gemini-3.8-flash";
  unknown_model_context context{"gemini.ask_about_images", "Gemini", model_origin::configured,
                                "plugin_config.gemini.default_model", true};
  const std::string start =
      "gemini.ask_about_images: Gemini does not offer model \"gemini-2.5-flash\" (HTTP 404 NOT_FOUND): it "
      "was "
      "withdrawn, or the name is misspelled. Models available now: gemini-3.8-flash, gemini-3.8-pro, and 3 "
      "more "
      "(gemini.models_list lists them all).";
  const std::string said = " Gemini said: \"models/gemini-2.5-flash is not found\"";

  CHECK(unknown_model_message(context, error, available) ==
        start +
            " It is configured as plugin_config.gemini.default_model: set that to one of them, or remove it "
            "to use "
            "the newest stable Flash model automatically (now gemini-3.8-flash)." +
            said);
  context.origin = model_origin::argument;
  CHECK(unknown_model_message(context, error, available) ==
        start + " Pass one of them as \"model\", or leave \"model\" out to use the default model." + said);
  context.origin = model_origin::automatic;
  CHECK(unknown_model_message(context, error, available) ==
        start + " It was the automatic choice, which is now gemini-3.8-flash: call again." + said);

  available = {};
  available.listing_failure = "Gemini rate limited the request";
  context.origin = model_origin::argument;
  CHECK(
      unknown_model_message(context, error, available) ==
      "gemini.ask_about_images: Gemini does not offer model \"gemini-2.5-flash\" (HTTP 404 NOT_FOUND): it "
      "was "
      "withdrawn, or the name is misspelled. The models available could not be listed (Gemini rate limited "
      "the request); gemini.models_list shows them once listing works. Pass an available model as \"model\", "
      "or leave \"model\" out to use the default model." +
          said);
}
