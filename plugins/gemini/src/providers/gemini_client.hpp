// Google's Gemini REST API (v1beta): POST /v1beta/models/{model}:generateContent and GET /v1beta/models.
// The key travels only in the x-goog-api-key header (never the URL) and is redacted from everything
// reported. 429s are retried after RetryInfo.retryDelay unless the quota is a daily one (google_error).
// Videos go through the Files API (POST /upload/v1beta/files, GET and DELETE /v1beta/files/{id}).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <mcpd/sdk/http/client.hpp>

#include "../error_mapping.hpp"
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
  // Files API: resumable upload, poll until ACTIVE, generateContent with fileData, delete.
  vision_answer ask_about_video(vision_request request, std::string_view tool,
                                const sdk::http::call_hooks& hooks,
                                const std::function<void(const std::string&)>& step) const override;

 private:
  // Uploads request.video's bytes; returns the file resource ("name", "uri", "state", ...).
  boost::json::object upload_video(const prepared_video& video, const failure_context& context,
                                   const sdk::http::call_hooks& hooks) const;
  // Polls the file until it is ACTIVE (returns its uri). Throws provider_error when processing fails or
  // takes longer than max_processing.
  std::string await_active(const boost::json::object& file, const failure_context& context,
                           const sdk::http::call_hooks& hooks,
                           const std::function<void(const std::string&)>& step) const;
  void delete_file(const std::string& name, const sdk::http::call_hooks& hooks) const;

  sdk::http::call_hooks with_retry_advice(const sdk::http::call_hooks& hooks) const;
};

}  // namespace mcpd::gemini
