// The cached automatic model choice (model_catalog) without a server: a scripted provider lists the models
// and a hand-moved clock decides when a choice is stale.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>

#include "listed_models.hpp"
#include "model_catalog.hpp"
#include "provider_error.hpp"

using namespace mcpd::gemini;
using namespace std::chrono_literals;
using gemini_test::listing;

namespace {

// Lists what a test says, counting the listings; fails with `failure` when set.
class scripted_provider final : public vision_provider {
 public:
  std::string_view name() const override { return "gemini"; }
  std::string request_body(const vision_request&) const override { return {}; }
  vision_answer generate(const vision_request&, std::string, std::string_view,
                         const mcpd::sdk::http::call_hooks&) const override {
    throw provider_error("not used");
  }
  std::vector<model_info> list_models(std::string_view tool,
                                      const mcpd::sdk::http::call_hooks&) const override {
    ++listings;
    std::this_thread::sleep_for(delay);
    std::lock_guard lock(mutex);
    if (failure) throw provider_error(std::string(tool) + ": " + *failure);
    return models;
  }

  void answer(std::vector<model_info> next) {
    std::lock_guard lock(mutex);
    models = std::move(next);
    failure.reset();
  }
  void fail(std::string why) {
    std::lock_guard lock(mutex);
    failure = std::move(why);
  }

  mutable std::atomic<int> listings{0};
  std::chrono::milliseconds delay{0};

 private:
  mutable std::mutex mutex;
  std::vector<model_info> models;
  std::optional<std::string> failure;
};

// A catalog over `provider` whose clock moves only when the test says so.
struct catalog_under_test {
  explicit catalog_under_test(scripted_provider& provider, std::string configured = {})
      : catalog(
            provider, options_for(std::move(configured)), [this] { return now; },
            [this](mcpd::sdk::log_level, const std::string& line) {
              std::lock_guard lock(mutex);
              notices.push_back(line);
            }) {}

  static model_catalog::options options_for(std::string configured) {
    model_catalog::options options;
    options.configured_model = std::move(configured);
    options.model_setting = "plugin_config.gemini.default_model";
    return options;
  }

  std::string choose() { return catalog.default_model("gemini.ask_about_images", {}).model; }

  std::chrono::steady_clock::time_point now{};
  std::mutex mutex;
  std::vector<std::string> notices;
  model_catalog catalog;
};

const std::string listing_failed_503 =
    "Gemini failed with a server error (HTTP 503 UNAVAILABLE) after 3 attempts; the problem is on Google's "
    "side. Try again later, or another model. Gemini said: \"The service is currently unavailable.\"";

}  // namespace

TEST_CASE("the automatic choice is listed once, kept for the refresh interval, then listed again") {
  scripted_provider provider;
  provider.answer(listing({"gemini-3.8-pro", "gemini-3.9-flash", "gemini-3.10-flash-preview"}));
  catalog_under_test under_test(provider);

  CHECK(under_test.choose() == "gemini-3.9-flash");
  CHECK(under_test.catalog.default_model("gemini.ask_about_video", {}).origin == model_origin::automatic);
  under_test.now += 24h - 1ms;
  CHECK(under_test.choose() == "gemini-3.9-flash");
  CHECK(provider.listings == 1);  // cached

  provider.answer(listing({"gemini-3.9-flash", "gemini-3.10-flash"}));
  under_test.now += 1ms;  // a day after the first listing
  CHECK(under_test.choose() == "gemini-3.10-flash");
  CHECK(provider.listings == 2);
  CHECK(
      under_test.notices ==
      std::vector<std::string>{
          "the automatic model choice is now gemini-3.9-flash, the newest stable Flash model listed; it is "
          "checked again in 24 h (set plugin_config.gemini.default_model to pin a model)",
          "the automatic model choice is now gemini-3.10-flash, the newest stable Flash model listed; it is "
          "checked again in 24 h (set plugin_config.gemini.default_model to pin a model)"});
}

TEST_CASE("a failed refresh keeps the last good choice and is tried again ten minutes later") {
  scripted_provider provider;
  provider.answer(listing({"gemini-3.8-flash"}));
  catalog_under_test under_test(provider);
  CHECK(under_test.choose() == "gemini-3.8-flash");

  provider.fail(listing_failed_503);
  under_test.now += 25h;
  CHECK(under_test.choose() == "gemini-3.8-flash");
  CHECK(provider.listings == 2);
  CHECK(under_test.notices.back() ==
        "refreshing the automatic model choice failed, so gemini-3.8-flash stays in use (tried again in 10 "
        "min): listing the models failed: " +
            listing_failed_503);
  under_test.now += 10min - 1ms;
  CHECK(under_test.choose() == "gemini-3.8-flash");
  CHECK(provider.listings == 2);  // no listing on every call while Gemini is down

  provider.answer(listing({"gemini-3.8-flash", "gemini-3.9-flash"}));
  under_test.now += 1ms;
  CHECK(under_test.choose() == "gemini-3.9-flash");
  CHECK(provider.listings == 3);
}

TEST_CASE("without any good choice, a failed listing fails the call saying why and what to configure") {
  scripted_provider provider;
  provider.fail(listing_failed_503);
  catalog_under_test under_test(provider);
  try {
    under_test.choose();
    FAIL("a model was chosen");
  } catch (const provider_error& e) {
    CHECK(
        std::string(e.what()) ==
        "gemini.ask_about_images: no model is configured and none could be chosen automatically: listing the "
        "models failed: " +
            listing_failed_503 +
            " To choose one yourself, set plugin_config.gemini.default_model to a model this key can use, or "
            "pass \"model\" in the call.");
  }
  // The next call tries again rather than repeating the old failure.
  provider.answer(listing({"gemini-3.8-flash"}));
  CHECK(under_test.choose() == "gemini-3.8-flash");
  CHECK(provider.listings == 2);
}

TEST_CASE("a listing without a stable Flash model names what it has") {
  scripted_provider provider;
  provider.answer(listing({"gemini-flash-latest", "gemini-3.9-flash-preview", "gemini-3.8-pro"}));
  catalog_under_test under_test(provider);
  CHECK_THROWS_WITH(
      under_test.choose(),
      "gemini.ask_about_images: no model is configured and none could be chosen automatically: "
      "Gemini lists no stable Flash model (named gemini-<major>.<minor>-flash) among the 3 models "
      "that can generate content (gemini-3.8-pro, gemini-flash-latest, gemini-3.9-flash-preview). "
      "To choose one yourself, set plugin_config.gemini.default_model to a model this key can use, "
      "or pass \"model\" in the call.");
}

TEST_CASE("a configured model is used without listing") {
  scripted_provider provider;
  catalog_under_test under_test(provider, "gemini-3.7-flash");
  const auto choice = under_test.catalog.default_model("gemini.ask_about_images", {});
  CHECK(choice.model == "gemini-3.7-flash");
  CHECK(choice.origin == model_origin::configured);
  CHECK(provider.listings == 0);
  CHECK(under_test.catalog.known_default()->model == "gemini-3.7-flash");
}

TEST_CASE("concurrent first calls share one listing") {
  scripted_provider provider;
  provider.answer(listing({"gemini-3.8-flash"}));
  provider.delay = 300ms;
  catalog_under_test under_test(provider);
  std::vector<std::string> chosen(8);
  std::vector<std::thread> calls;
  for (std::size_t i = 0; i < chosen.size(); ++i)
    calls.emplace_back([&, i] { chosen[i] = under_test.choose(); });
  for (auto& call : calls) call.join();
  CHECK(provider.listings == 1);
  CHECK(chosen == std::vector<std::string>(8, "gemini-3.8-flash"));
}

TEST_CASE("calls waiting for a listing that fails share its failure") {
  scripted_provider provider;
  provider.fail(listing_failed_503);
  provider.delay = 300ms;
  catalog_under_test under_test(provider);
  std::atomic<int> failed{0};
  std::vector<std::thread> calls;
  for (int i = 0; i < 4; ++i) {
    calls.emplace_back([&] {
      try {
        under_test.choose();
      } catch (const provider_error&) {
        ++failed;
      }
    });
  }
  for (auto& call : calls) call.join();
  CHECK(failed == 4);
  CHECK(provider.listings == 1);
}

TEST_CASE("a withdrawn automatic choice is forgotten, and a listing made elsewhere replaces it") {
  scripted_provider provider;
  provider.answer(listing({"gemini-3.8-flash"}));
  catalog_under_test under_test(provider);
  CHECK(under_test.choose() == "gemini-3.8-flash");
  under_test.catalog.forget("gemini-3.7-flash");  // not the choice: kept
  CHECK(under_test.catalog.known_default()->model == "gemini-3.8-flash");
  under_test.catalog.forget("gemini-3.8-flash");
  CHECK_FALSE(under_test.catalog.known_default());
  under_test.catalog.learn(listing({"gemini-3.9-flash"}));
  CHECK(under_test.choose() == "gemini-3.9-flash");
  CHECK(provider.listings == 1);
}
