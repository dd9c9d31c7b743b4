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
// A generally available model; the prototype's gemini-2.0-flash-exp no longer exists.
inline constexpr std::string_view default_model_name = "gemini-2.5-flash";

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
  std::string default_model = std::string(default_model_name);
  openai_compatible_settings openai_compatible;
  request_limits limits;
  // Malformed settings (wrong type, unknown provider, not a URL); values are never quoted.
  std::vector<std::string> problems;

  // Never throws on bad configuration: problems are recorded and surface when a tool runs.
  static provider_settings from_config(const boost::json::object& gemini_config);

  // The isError text when `tool` (qualified, e.g. "gemini.ask_about_images") cannot reach a model with
  // these settings; empty when it can. `needs_configured_model` is true when the call names no model and
  // the tool needs one.
  std::string readiness_problem(std::string_view tool, bool needs_configured_model) const;
};

}  // namespace mcpd::gemini
