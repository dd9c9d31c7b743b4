#include "unknown_model.hpp"

#include "../model_names.hpp"
#include "../tool_names.hpp"

namespace mcpd::gemini {

std::string unknown_model_message(const unknown_model_context& context, const unknown_model_error& error,
                                  const available_models& available) {
  std::string text = std::string(context.tool) + ": " + std::string(context.provider) +
                     " does not offer model \"" + error.model() + "\"" + error.code() +
                     ": it was withdrawn, or the name is misspelled.";

  if (!available.names.empty()) {
    text += " Models available now: ";
    for (std::size_t i = 0; i < available.names.size(); ++i)
      text += (i == 0 ? "" : ", ") + available.names[i];
    if (available.more > 0)
      text += ", and " + std::to_string(available.more) + " more (" +
              gemini_tool_beside(context.tool, "models_list") + " lists them all)";
    text += ".";
  } else if (!available.listing_failure.empty()) {
    text += " The models available could not be listed (" + available.listing_failure + "); " +
            gemini_tool_beside(context.tool, "models_list") + " shows them once listing works.";
  }

  const std::string them = available.names.empty() ? "an available model" : "one of them";
  const std::string now = available.automatic ? " (now " + *available.automatic + ")" : std::string();
  switch (context.origin) {
    case model_origin::argument:
      text += " Pass " + them + " as \"model\", or leave \"model\" out to use the default model.";
      break;
    case model_origin::configured:
      text += " It is configured as " + std::string(context.model_setting) + ": set that to " + them;
      text += context.can_choose_automatically
                  ? ", or remove it to use the newest stable Flash model automatically" + now + "."
                  : ".";
      break;
    case model_origin::automatic:
      text += available.automatic
                  ? " It was the automatic choice, which is now " + *available.automatic + ": call again."
                  : " It was the automatic choice; the models are listed again on the next call.";
      break;
  }
  return text + error.said();
}

std::string explain_unknown_model(const tool_environment& environment, const unknown_model_error& error,
                                  model_origin origin, std::string_view tool,
                                  const sdk::http::call_hooks& hooks) {
  if (origin == model_origin::automatic) environment.models.forget(error.model());
  available_models available;
  try {
    const auto models = environment.provider.list_models(tool, hooks);
    environment.models.learn(models);
    available.names = models_worth_suggesting(models, suggested_models_limit, available.more);
    if (environment.settings.can_choose_model_automatically())
      available.automatic = newest_stable_flash(models);
  } catch (const provider_error& e) {
    std::string reason = e.what();
    if (const std::string prefix = std::string(tool) + ": "; reason.starts_with(prefix))
      reason.erase(0, prefix.size());
    available.listing_failure = std::move(reason);
  }
  const unknown_model_context context{
      tool, environment.provider.name() == "gemini" ? "Gemini" : "The model server", origin,
      environment.settings.model_setting(), environment.settings.can_choose_model_automatically()};
  return unknown_model_message(context, error, available);
}

}  // namespace mcpd::gemini
