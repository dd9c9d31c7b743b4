// The interface both providers implement: Gemini's own REST API (providers/gemini_client) and any
// OpenAI-compatible chat-completions server (providers/openai_client). The tools talk only to this.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mcpd/sdk/http/client.hpp>

#include "provider_settings.hpp"
#include "vision_request.hpp"

namespace mcpd::gemini {

struct model_info {
  std::string id;  // what to pass as "model"
  std::string display_name;
  std::string description;
  std::optional<std::int64_t> input_token_limit;
  std::optional<std::int64_t> output_token_limit;
  std::vector<std::string> supported_actions;  // Gemini's supportedGenerationMethods
  bool can_generate = true;                    // false for e.g. embedding-only models
};

class vision_provider {
 public:
  virtual ~vision_provider() = default;

  // "gemini" or "openai_compatible", as the tools report it. (The model a call uses when it names none is
  // model_catalog's business.)
  virtual std::string_view name() const = 0;

  // The request body for `request`, so its size can be checked before anything is sent.
  virtual std::string request_body(const vision_request& request) const = 0;

  // Sends `body` (from request_body(request)) and reads the answer. Only the model and settings of
  // `request` are read: its image data may already be released. Throws provider_error with the
  // message for the caller on any failure, refusal or unusable answer; `tool` names the tool in it.
  // Throws unknown_model_error when the provider says it does not offer request.model.
  virtual vision_answer generate(const vision_request& request, std::string body, std::string_view tool,
                                 const sdk::http::call_hooks& hooks) const = 0;

  // Answers request.question about request.video (set, with its bytes). `step` reports what is happening
  // (uploading, waiting for processing, asking). Throws provider_error; the default says that this
  // provider takes no video.
  virtual vision_answer ask_about_video(vision_request request, std::string_view tool,
                                        const sdk::http::call_hooks& hooks,
                                        const std::function<void(const std::string&)>& step) const;

  // Every model the server lists (all pages). Throws provider_error.
  virtual std::vector<model_info> list_models(std::string_view tool,
                                              const sdk::http::call_hooks& hooks) const = 0;
};

// The provider `settings` select. Throws provider_error when its base URL is unusable.
std::unique_ptr<vision_provider> make_provider(const provider_settings& settings);

}  // namespace mcpd::gemini
