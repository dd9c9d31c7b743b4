// Which model provider the gemini plugin talks to, and what to tell the user when it is not configured.
//
// Configuration lives in plugin_config.gemini; the host fills api_key from GEMINI_API_KEY and
// api_base_url from GEMINI_API_BASE_URL. Missing or malformed settings never fail init: the plugin loads,
// and its tools answer isError naming the setting to provide.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>
#include <mcpd/sdk/http/retry.hpp>

namespace mcpd::gemini {

inline constexpr std::string_view default_api_base_url = "https://generativelanguage.googleapis.com";

enum class provider_kind { gemini, openai_compatible };

// Any server speaking OpenAI's chat-completions API: OpenAI, Gemini's OpenAI endpoint, Ollama, llama.cpp,
// vLLM. The key is optional because local servers usually need none.
struct openai_compatible_settings {
  std::string base_url;  // e.g. http://localhost:11434/v1, without trailing slash
  std::string api_key;   // secret; may be empty
  std::string model;
};

// How big, how long and how often: limits shared by both providers (plugin_config.gemini.max_*,
// timeout_ms, retry).
struct request_limits {
  int max_image_long_edge = 1280;
  std::int64_t max_request_bytes = 20 * 1024 * 1024;
  std::chrono::milliseconds timeout{120000};
  sdk::http::retry_policy retry{3, std::chrono::milliseconds(1000), std::chrono::milliseconds(30000)};
  // retry.max_retry_delay_ms: how long a per-minute quota's retryDelay may be and still be waited for.
  std::chrono::milliseconds max_retry_delay{60000};
};

struct provider_settings {
  provider_kind provider = provider_kind::gemini;
  std::string api_key;  // secret: only ever sent in the x-goog-api-key header
  std::string api_base_url = std::string(default_api_base_url);
  // No built-in model: models are withdrawn (gemini-2.0-flash-exp, then gemini-2.5-flash). Empty means the
  // newest stable Flash model of the provider's listing (model_catalog).
  std::string default_model;
  openai_compatible_settings openai_compatible;
  request_limits limits;
  // How long an automatic model choice is kept before the models are listed again.
  std::chrono::milliseconds model_refresh_interval{std::chrono::hours(24)};
  // Malformed settings (wrong type, unknown provider, not a URL); values are never quoted.
  std::vector<std::string> problems;

  // Never throws on bad configuration: problems are recorded and surface when a tool runs.
  static provider_settings from_config(const boost::json::object& gemini_config);

  // The model used when a call names none, as configured; empty when none is.
  const std::string& configured_model() const;
  // The setting that names that model: "plugin_config.gemini.default_model" or "...openai_compatible.model".
  std::string_view model_setting() const;
  // True when the provider's listing can be chosen from: the provider is Gemini or Google's
  // OpenAI-compatible endpoint. Other OpenAI-compatible servers list models whose names say nothing about
  // which one suits, so they need a configured model.
  bool can_choose_model_automatically() const;
  // True when a call that names no model uses the newest stable Flash model of the provider's listing: no
  // model is configured and the listing can be chosen from.
  bool chooses_model_automatically() const;

  // The isError text when `tool` (qualified, e.g. "gemini.ask_about_images") cannot reach a model with
  // these settings; empty when it can. `needs_configured_model` is true when the call names no model and
  // the tool needs one.
  std::string readiness_problem(std::string_view tool, bool needs_configured_model) const;
};

}  // namespace mcpd::gemini
