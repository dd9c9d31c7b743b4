// The rule that picks a model nobody configured (model_names): stable Flash names, newest by number, and the
// order in which available models are suggested.
#include <catch2/catch.hpp>

#include "listed_models.hpp"
#include "model_names.hpp"

using namespace mcpd::gemini;
using gemini_test::generating;
using gemini_test::listing;

TEST_CASE("only gemini-<major>.<minor>-flash names are stable Flash models") {
  CHECK(stable_flash_generation("gemini-3.8-flash") == model_generation{3, 8});
  CHECK(stable_flash_generation("models/gemini-3.10-flash") == model_generation{3, 10});
  CHECK(stable_flash_generation("gemini-4-flash") == model_generation{4, 0});
  for (const char* other :
       {"gemini-3.9-flash-preview", "gemini-3.8-flash-lite", "gemini-3.9-flash-exp", "gemini-flash-latest",
        "gemini-2.5-flash-preview-09-2025", "gemini-3.8-flash-001", "gemini-3.8-pro", "gemini-3.8-flashy",
        "gemini-.8-flash", "gemini-3.-flash", "gemma-3-flash", "gemini-3.8-flash-image", ""}) {
    INFO(other);
    CHECK_FALSE(stable_flash_generation(other));
  }
  CHECK(model_generation{3, 10} > model_generation{3, 9});
}

TEST_CASE("the automatic choice is the newest stable Flash model that can generate content") {
  auto models = listing({"gemini-3.9-flash", "gemini-3.11-flash-preview", "gemini-3.10-flash-lite",
                         "gemini-flash-latest", "gemini-3.10-flash", "gemini-4.0-flash-exp",
                         "gemini-3.2-flash", "gemini-3.12-flash-preview-11-2026", "gemini-5-pro"});
  CHECK(newest_stable_flash(models) == "gemini-3.10-flash");  // 3.10 beats 3.9, previews and lite ignored

  models.push_back(generating("gemini-3.11-flash"));
  models.back().can_generate = false;  // e.g. embedding only: not a candidate
  CHECK(newest_stable_flash(models) == "gemini-3.10-flash");

  CHECK(newest_stable_flash(listing({"models/gemini-3.8-flash"})) == "gemini-3.8-flash");
  CHECK(newest_stable_flash(listing({"gemini-3-flash", "gemini-3.0-flash"})) == "gemini-3-flash");
  CHECK_FALSE(newest_stable_flash(listing({"gemini-flash-latest", "gemini-3.9-flash-preview"})));
}

TEST_CASE("models worth suggesting: stable Flash newest first, other stable models, then the rest, capped") {
  auto models =
      listing({"gemini-flash-latest", "gemini-3.7-flash", "gemini-3.8-pro", "gemini-3.9-flash-preview",
               "text-embedding-004", "gemini-3.8-flash", "gemini-3.8-flash-lite", "llava:13b"});
  models[4].can_generate = false;
  std::size_t more = 0;
  CHECK(models_worth_suggesting(models, 10, more) ==
        std::vector<std::string>{"gemini-3.8-flash", "gemini-3.7-flash", "gemini-3.8-pro",
                                 "gemini-3.8-flash-lite", "gemini-flash-latest", "gemini-3.9-flash-preview",
                                 "llava:13b"});
  CHECK(more == 0);
  CHECK(models_worth_suggesting(models, 3, more) ==
        std::vector<std::string>{"gemini-3.8-flash", "gemini-3.7-flash", "gemini-3.8-pro"});
  CHECK(more == 4);
}

TEST_CASE("only Google's OpenAI-compatible endpoint gets an automatic model") {
  CHECK(is_google_openai_endpoint("https://generativelanguage.googleapis.com/v1beta/openai"));
  CHECK(is_google_openai_endpoint("https://generativelanguage.googleapis.com/v1beta/openai/"));
  CHECK_FALSE(is_google_openai_endpoint("http://localhost:11434/v1"));
  CHECK_FALSE(is_google_openai_endpoint("https://api.openai.com/v1"));
  CHECK_FALSE(
      is_google_openai_endpoint("https://generativelanguage.googleapis.com.evil.example/v1beta/openai"));
}
