// Google's Gemini REST API (v1beta): POST /v1beta/models/{model}:generateContent and GET /v1beta/models.
// The key travels only in the x-goog-api-key header (never the URL) and is redacted from everything
// reported. 429s are retried after RetryInfo.retryDelay unless the quota is a daily one (google_error).
#pragma once

#include <optional>
#include <string>

#include <mcpd/sdk/http/client.hpp>

#include "http_provider.hpp"

namespace mcpd::gemini {

class gemini_client final : public http_provider {
 public:
  explicit gemini_client(const provider_settings& settings);

  std::string_view name() const override { return "gemini"; }
  std::string request_body(const vision_request& request) const override;
  vision_answer generate(const vision_request& request, std::string body, std::string_view tool,
                         const sdk::http::call_hooks& hooks) const override;
  std::vector<model_info> list_models(std::string_view tool,
                                      const sdk::http::call_hooks& hooks) const override;

 private:
  sdk::http::call_hooks with_retry_advice(const sdk::http::call_hooks& hooks) const;
};

}  // namespace mcpd::gemini
