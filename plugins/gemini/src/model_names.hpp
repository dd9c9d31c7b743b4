// What a model's name says about it, for choosing a model nobody configured and for listing the models a
// caller can switch to. Google names its models gemini-<major>.<minor>-<tier>[-<qualifier>...]:
//
//   gemini-3.8-flash                 stable Flash: the only kind chosen automatically
//   gemini-3.8-pro, -flash-lite      stable, another tier
//   gemini-3.9-flash-preview, -exp   previews and experiments: may change or vanish without notice
//   gemini-2.5-flash-preview-09-2025 dated snapshots
//   gemini-flash-latest              aliases: move to another model silently
//
// Names are read with or without the "models/" prefix that Gemini's listings and its OpenAI-compatible
// endpoint put in front of them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vision_provider.hpp"

namespace mcpd::gemini {

// A model generation, compared numerically: 3.10 is newer than 3.9, and "gemini-3-flash" is 3.0.
struct model_generation {
  unsigned major = 0;
  unsigned minor = 0;
  auto operator<=>(const model_generation&) const = default;
};

// The generation of a stable Flash model: the name is exactly gemini-<major>[.<minor>]-flash (nothing
// after "flash": no -lite, -preview, -exp, -latest, date or version suffix). nullopt for any other name.
std::optional<model_generation> stable_flash_generation(std::string_view name);

// The newest stable Flash model among `models` that can generate content, without the "models/" prefix;
// nullopt when there is none. Of two names for the same generation ("gemini-3-flash", "gemini-3.0-flash")
// the one listed first wins.
std::optional<std::string> newest_stable_flash(const std::vector<model_info>& models);

// The models that can generate content, for a message: stable Flash models newest first, then the other
// stable models (newest generation first), then previews, aliases and everything else in listed order.
// At most `limit` names; `more` gets how many were left out.
std::vector<std::string> models_worth_suggesting(const std::vector<model_info>& models, std::size_t limit,
                                                 std::size_t& more);

// True when `base_url` is Google's OpenAI-compatible endpoint
// (https://generativelanguage.googleapis.com/v1beta/openai): the only OpenAI-compatible server whose
// listing names Gemini models, so the only one where a model is chosen automatically.
bool is_google_openai_endpoint(std::string_view base_url);

}  // namespace mcpd::gemini
