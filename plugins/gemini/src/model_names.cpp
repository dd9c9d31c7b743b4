#include "model_names.hpp"

#include <algorithm>
#include <charconv>

namespace mcpd::gemini {
namespace {

std::string_view without_models_prefix(std::string_view name) {
  if (name.starts_with("models/")) name.remove_prefix(7);
  return name;
}

// Reads "<digits>" at the front of `text`, advancing it; nullopt when there are none.
std::optional<unsigned> read_number(std::string_view& text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end == text.data()) return std::nullopt;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return value;
}

// A Gemini model name split into its generation and what follows it ("flash", "flash-lite",
// "flash-preview-09-2025"); nullopt for names without a generation (aliases, other families).
struct gemini_name {
  model_generation generation;
  std::string_view tier_and_qualifiers;
};

std::optional<gemini_name> read_gemini_name(std::string_view name) {
  name = without_models_prefix(name);
  if (!name.starts_with("gemini-")) return std::nullopt;
  name.remove_prefix(7);
  gemini_name result;
  const auto major = read_number(name);
  if (!major) return std::nullopt;
  result.generation.major = *major;
  if (name.starts_with('.')) {
    name.remove_prefix(1);
    const auto minor = read_number(name);
    if (!minor) return std::nullopt;
    result.generation.minor = *minor;
  }
  if (!name.starts_with('-') || name.size() < 2) return std::nullopt;
  result.tier_and_qualifiers = name.substr(1);
  return result;
}

// Stable: every word after the generation is a plain tier word ("pro", "flash", "lite"), none of them a
// preview, experiment, alias, date or version number.
bool is_stable(const gemini_name& name) {
  std::string_view rest = name.tier_and_qualifiers;
  while (!rest.empty()) {
    const auto dash = rest.find('-');
    const std::string_view word = rest.substr(0, dash);
    if (word.empty() || word == "preview" || word == "exp" || word == "experimental" || word == "latest")
      return false;
    if (!std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; })) return false;
    rest = dash == std::string_view::npos ? std::string_view{} : rest.substr(dash + 1);
  }
  return true;
}

}  // namespace

std::optional<model_generation> stable_flash_generation(std::string_view name) {
  const auto parsed = read_gemini_name(name);
  if (!parsed || parsed->tier_and_qualifiers != "flash") return std::nullopt;
  return parsed->generation;
}

std::optional<std::string> newest_stable_flash(const std::vector<model_info>& models) {
  const model_info* newest = nullptr;
  model_generation newest_generation;
  for (const auto& model : models) {
    if (!model.can_generate) continue;
    const auto generation = stable_flash_generation(model.id);
    if (generation && (newest == nullptr || *generation > newest_generation)) {
      newest = &model;
      newest_generation = *generation;
    }
  }
  if (newest == nullptr) return std::nullopt;
  return std::string(without_models_prefix(newest->id));
}

std::vector<std::string> models_worth_suggesting(const std::vector<model_info>& models, std::size_t limit,
                                                 std::size_t& more) {
  struct ranked {
    int rank;  // 0 stable Flash, 1 other stable, 2 the rest
    model_generation generation;
    std::size_t listed_at;
    std::string_view id;
  };
  std::vector<ranked> candidates;
  for (std::size_t i = 0; i < models.size(); ++i) {
    if (!models[i].can_generate) continue;
    const std::string_view id = without_models_prefix(models[i].id);
    const auto parsed = read_gemini_name(id);
    int rank = 2;
    if (parsed && is_stable(*parsed)) rank = parsed->tier_and_qualifiers == "flash" ? 0 : 1;
    candidates.push_back({rank, parsed && rank < 2 ? parsed->generation : model_generation{}, i, id});
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const ranked& a, const ranked& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.generation != b.generation) return a.generation > b.generation;
    return a.listed_at < b.listed_at;
  });
  std::vector<std::string> names;
  for (const auto& candidate : candidates) {
    if (names.size() == limit) break;
    names.emplace_back(candidate.id);
  }
  more = candidates.size() - names.size();
  return names;
}

bool is_google_openai_endpoint(std::string_view base_url) {
  constexpr std::string_view google = "https://generativelanguage.googleapis.com/";
  if (!base_url.starts_with(google)) return false;
  base_url.remove_prefix(google.size());
  while (base_url.ends_with('/')) base_url.remove_suffix(1);
  return base_url.ends_with("/openai") || base_url == "openai";
}

}  // namespace mcpd::gemini
