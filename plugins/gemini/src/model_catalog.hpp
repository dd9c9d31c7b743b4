// The model a call uses when it names none. A configured model (default_model, or openai_compatible.model)
// is used as is. Without one, the newest stable Flash model that the provider's models listing offers is
// chosen (model_names.hpp), because a model name written into code or configuration is withdrawn sooner or
// later (gemini-2.0-flash-exp, then gemini-2.5-flash).
//
// The choice is kept for refresh_interval (a day by default). When a refresh fails (network, 5xx, 429) the
// last good choice stays in use and the listing is tried again after retry_after_failure; when there never
// was a choice, the call fails saying why the listing failed and how to configure a model. One listing at a
// time: calls that arrive while it runs wait for it when there is no choice yet, and use the previous choice
// when there is one. One catalog per plugin configuration (a new configuration starts a new one).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mcpd/sdk/error.hpp>
#include <mcpd/sdk/http/client.hpp>

#include "vision_provider.hpp"

namespace mcpd::gemini {

// Where a call's model came from; decides what an error about the model tells the caller to change.
enum class model_origin { argument, configured, automatic };

struct model_choice {
  std::string model;
  model_origin origin = model_origin::configured;
};

class model_catalog {
 public:
  using time_source = std::function<std::chrono::steady_clock::time_point()>;
  // Lines for the operator log: a new automatic choice (info), a failed refresh (warning).
  using notice_sink = std::function<void(sdk::log_level, const std::string&)>;

  struct options {
    std::string configured_model;  // empty: choose automatically (when allowed)
    // Whether this provider's listing can be chosen from (Gemini; Google's OpenAI-compatible endpoint).
    bool chooses_automatically = true;
    // The setting that pins a model, for messages: "plugin_config.gemini.default_model".
    std::string model_setting;
    std::chrono::milliseconds refresh_interval{std::chrono::hours(24)};
    std::chrono::milliseconds retry_after_failure{std::chrono::minutes(10)};
  };

  model_catalog(
      const vision_provider& provider, options settings,
      time_source now = [] { return std::chrono::steady_clock::now(); }, notice_sink notice = {});

  // The configured model, else the automatic choice (listing the models when there is none yet or it is
  // due for a refresh). Throws provider_error, naming `tool`, when there is no configured model and no
  // choice can be made, or when the caller cancels while waiting for another call's listing.
  model_choice default_model(std::string_view tool, const sdk::http::call_hooks& hooks);

  // The configured model or the current automatic choice, without listing; nullopt when there is none.
  std::optional<model_choice> known_default() const;

  // A listing made for another reason (gemini.models_list, an unknown model's message) refreshes the
  // automatic choice as if it had been made here.
  void learn(const std::vector<model_info>& models);

  // The provider no longer offers `model`: when it is the automatic choice, the next call lists again.
  void forget(std::string_view model);

 private:
  // Records a finished listing under the lock; returns the failure reason ("" on success).
  std::string record_listing(const std::vector<model_info>& models,
                             std::chrono::steady_clock::time_point now);
  std::string no_choice_message(std::string_view tool, const std::string& reason) const;

  const vision_provider& provider_;
  const options options_;
  const time_source now_;
  const notice_sink notice_;

  mutable std::mutex mutex_;
  std::condition_variable listing_done_;
  std::optional<std::string> choice_;  // the last good automatic choice
  std::chrono::steady_clock::time_point refresh_due_{};
  bool listing_ = false;
  std::uint64_t failures_ = 0;  // failed listings so far, so waiting calls can tell that theirs failed
  std::string last_failure_;    // why the last listing failed, without a tool name
};

}  // namespace mcpd::gemini
