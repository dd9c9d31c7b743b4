// The message for a model the provider does not offer (unknown_model_error: Gemini's 404 NOT_FOUND for a
// withdrawn or misspelled model). Gemini's own answer says "Call ListModels"; this message does that for
// the caller: it names the model, where it came from, the models available now and what to change.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../model_catalog.hpp"
#include "../provider_error.hpp"
#include "tool_handlers.hpp"

namespace mcpd::gemini {

// What a fresh listing says, for the message.
struct available_models {
  std::vector<std::string> names;        // stable Flash first (models_worth_suggesting), capped
  std::size_t more = 0;                  // left out of names
  std::optional<std::string> automatic;  // what a call naming no model now uses automatically
  std::string listing_failure;           // set when the listing failed (then names is empty)
};

// Most models a message names; gemini.models_list has them all.
inline constexpr std::size_t suggested_models_limit = 10;

struct unknown_model_context {
  std::string_view tool;
  std::string_view provider;  // "Gemini"
  model_origin origin;
  std::string_view model_setting;  // plugin_config.gemini.default_model
  bool can_choose_automatically;   // whether removing that setting picks a model automatically
};

// The whole message; pure, for tests.
std::string unknown_model_message(const unknown_model_context& context, const unknown_model_error& error,
                                  const available_models& available);

// Lists the models (one more request, with the call's hooks), lets the catalog learn from the listing
// (forgetting a withdrawn automatic choice first) and returns unknown_model_message.
std::string explain_unknown_model(const tool_environment& environment, const unknown_model_error& error,
                                  model_origin origin, std::string_view tool,
                                  const sdk::http::call_hooks& hooks);

}  // namespace mcpd::gemini
