#include "model_catalog.hpp"

#include <algorithm>

#include "model_names.hpp"
#include "provider_error.hpp"

namespace mcpd::gemini {
namespace {

using std::chrono::milliseconds;

// "24 h", "10 min", "90 s": intervals as an operator configured them.
std::string interval_text(milliseconds interval) {
  const auto count = interval.count();
  if (count % 3600000 == 0) return std::to_string(count / 3600000) + " h";
  if (count % 60000 == 0) return std::to_string(count / 60000) + " min";
  return std::to_string((count + 999) / 1000) + " s";
}

// A provider's message without the "<tool>: " it starts with, to be quoted under another call's name.
std::string without_tool(std::string message, std::string_view tool) {
  const std::string prefix = std::string(tool) + ": ";
  if (message.starts_with(prefix)) message.erase(0, prefix.size());
  return message;
}

std::string as_sentence(std::string text) {
  if (!text.empty() && !text.ends_with('.') && !text.ends_with('"')) text += '.';
  return text;
}

}  // namespace

model_catalog::model_catalog(const vision_provider& provider, options settings, time_source now,
                             notice_sink notice)
    : provider_(provider), options_(std::move(settings)), now_(std::move(now)), notice_(std::move(notice)) {}

std::string model_catalog::no_choice_message(std::string_view tool, const std::string& reason) const {
  return std::string(tool) +
         ": no model is configured and none could be chosen automatically: " + as_sentence(reason) +
         " To choose one yourself, set " + options_.model_setting +
         " to a model this key can use, or pass \"model\" in the call.";
}

model_choice model_catalog::default_model(std::string_view tool, const sdk::http::call_hooks& hooks) {
  if (!options_.configured_model.empty()) return {options_.configured_model, model_origin::configured};
  if (!options_.chooses_automatically) {
    throw provider_error(std::string(tool) + ": no model is configured. Set " + options_.model_setting +
                         ", or pass \"model\" in the call.");
  }

  std::unique_lock lock(mutex_);
  const auto failures_seen = failures_;
  for (;;) {
    if (choice_ && now_() < refresh_due_) return {*choice_, model_origin::automatic};
    if (!listing_) {
      if (failures_ == failures_seen) break;  // nobody listed for us: list
      // The listing this call waited for failed.
      if (choice_) return {*choice_, model_origin::automatic};
      throw provider_error(no_choice_message(tool, last_failure_));
    }
    // Another call is listing. A stale choice is still good for this call; without one, wait for it.
    if (choice_) return {*choice_, model_origin::automatic};
    listing_done_.wait_for(lock, milliseconds(50));
    if (hooks.cancelled && hooks.cancelled()) throw provider_error(std::string(tool) + ": cancelled");
  }

  listing_ = true;
  lock.unlock();
  std::optional<std::vector<model_info>> models;
  std::string failure;
  try {
    models = provider_.list_models(tool, hooks);
  } catch (const std::exception& e) {
    failure = "listing the models failed: " + without_tool(e.what(), tool);
  }
  lock.lock();
  listing_ = false;
  listing_done_.notify_all();

  // A cancelled listing says nothing about the provider: no failure is recorded, and a waiting call lists.
  if (hooks.cancelled && hooks.cancelled()) throw provider_error(std::string(tool) + ": cancelled");
  if (models) failure = record_listing(*models, now_());
  if (failure.empty()) return {*choice_, model_origin::automatic};

  ++failures_;
  last_failure_ = failure;
  if (!choice_) throw provider_error(no_choice_message(tool, failure));
  const auto retry = std::min(options_.retry_after_failure, options_.refresh_interval);
  refresh_due_ = now_() + retry;
  if (notice_) {
    notice_(sdk::log_level::warning, "refreshing the automatic model choice failed, so " + *choice_ +
                                         " stays in use (tried again in " + interval_text(retry) +
                                         "): " + failure);
  }
  return {*choice_, model_origin::automatic};
}

std::string model_catalog::record_listing(const std::vector<model_info>& models,
                                          std::chrono::steady_clock::time_point now) {
  const auto chosen = newest_stable_flash(models);
  if (!chosen) {
    const auto generating = static_cast<std::size_t>(
        std::count_if(models.begin(), models.end(), [](const model_info& m) { return m.can_generate; }));
    std::size_t more = 0;
    const auto names = models_worth_suggesting(models, 10, more);
    std::string listed;
    for (const auto& name : names) listed += (listed.empty() ? "" : ", ") + name;
    if (more > 0) listed += ", and " + std::to_string(more) + " more";
    return std::string(provider_.name() == "gemini" ? "Gemini" : "the model server") +
           " lists no stable Flash model (named gemini-<major>.<minor>-flash) among the " +
           std::to_string(generating) + " models that can generate content" +
           (listed.empty() ? std::string() : " (" + listed + ")");
  }
  if (choice_ != chosen && notice_) {
    notice_(sdk::log_level::info, "the automatic model choice is now " + *chosen +
                                      ", the newest stable Flash model listed; it is checked again in " +
                                      interval_text(options_.refresh_interval) + " (set " +
                                      options_.model_setting + " to pin a model)");
  }
  choice_ = *chosen;
  refresh_due_ = now + options_.refresh_interval;
  return {};
}

std::optional<model_choice> model_catalog::known_default() const {
  if (!options_.configured_model.empty())
    return model_choice{options_.configured_model, model_origin::configured};
  std::lock_guard lock(mutex_);
  if (!choice_) return std::nullopt;
  return model_choice{*choice_, model_origin::automatic};
}

void model_catalog::learn(const std::vector<model_info>& models) {
  if (!options_.configured_model.empty() || !options_.chooses_automatically) return;
  std::lock_guard lock(mutex_);
  static_cast<void>(record_listing(models, now_()));
}

void model_catalog::forget(std::string_view model) {
  std::lock_guard lock(mutex_);
  if (choice_ && *choice_ == model) choice_.reset();
}

}  // namespace mcpd::gemini
