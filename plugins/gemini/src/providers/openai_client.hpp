// Any OpenAI-compatible chat-completions server (OpenAI, Gemini's OpenAI endpoint, Ollama, llama.cpp,
// vLLM): POST {base_url}/chat/completions with images as data: URLs, GET {base_url}/models. The key, when
// set, travels as "Authorization: Bearer" and is redacted from everything reported.
#pragma once

#include <optional>
#include <string>

#include <mcpd/sdk/http/client.hpp>

#include "http_provider.hpp"

namespace mcpd::gemini {

class openai_client final : public http_provider {
 public:
  explicit openai_client(const provider_settings& settings);

  std::string_view name() const override { return "openai_compatible"; }
  std::string request_body(const vision_request& request) const override;
  vision_answer generate(const vision_request& request, std::string body, std::string_view tool,
                         const sdk::http::call_hooks& hooks) const override;
  std::vector<model_info> list_models(std::string_view tool,
                                      const sdk::http::call_hooks& hooks) const override;
};

}  // namespace mcpd::gemini
