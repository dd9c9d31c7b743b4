// The model settings of plugin_config.gemini: no built-in model, model_refresh_ms, and which providers
// choose a model themselves.
#include <catch2/catch.hpp>

#include "provider_settings.hpp"

using namespace mcpd::gemini;
using namespace std::chrono_literals;

TEST_CASE("settings: no built-in model, model_refresh_ms, and which providers choose a model themselves") {
  auto settings = provider_settings::from_config(boost::json::object{{"api_key", "k"}});
  CHECK(settings.configured_model().empty());
  CHECK(settings.chooses_model_automatically());
  CHECK(settings.model_refresh_interval == 24h);
  CHECK(settings.model_setting() == "plugin_config.gemini.default_model");

  settings = provider_settings::from_config(
      boost::json::object{{"default_model", "gemini-3.8-flash"}, {"model_refresh_ms", 60000}});
  CHECK(settings.configured_model() == "gemini-3.8-flash");
  CHECK_FALSE(settings.chooses_model_automatically());
  CHECK(settings.model_refresh_interval == 1min);

  settings = provider_settings::from_config(boost::json::object{{"model_refresh_ms", 10}});
  CHECK(settings.problems ==
        std::vector<std::string>{"plugin_config.gemini.model_refresh_ms must be between 1000 and 604800000"});

  const auto openai = [](const char* base_url) {
    return provider_settings::from_config(
        boost::json::object{{"provider", "openai_compatible"},
                            {"openai_compatible", boost::json::object{{"base_url", base_url}}}});
  };
  const auto google = openai("https://generativelanguage.googleapis.com/v1beta/openai");
  CHECK(google.chooses_model_automatically());
  CHECK(google.readiness_problem("gemini.ask_about_images", true).empty());
  const auto ollama = openai("http://localhost:11434/v1");
  CHECK_FALSE(ollama.chooses_model_automatically());
  CHECK(
      ollama.readiness_problem("gemini.ask_about_images", true) ==
      "gemini.ask_about_images cannot run: provider is \"openai_compatible\" but it is not configured. Set "
      "plugin_config.gemini.openai_compatible.model (or pass \"model\" in the call; a model is chosen "
      "automatically only with Google's endpoint https://generativelanguage.googleapis.com/v1beta/openai).");
}
