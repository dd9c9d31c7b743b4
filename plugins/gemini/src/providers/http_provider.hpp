// What both providers share: one HTTP client for the provider's base URL, with the plugin's timeout,
// retry and retry-delay limits, an authentication header sent with every request, and the key kept out
// of every message.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <mcpd/sdk/http/client.hpp>

#include "../error_mapping.hpp"
#include "../provider_error.hpp"
#include "../provider_settings.hpp"
#include "../vision_provider.hpp"

namespace mcpd::gemini {

class http_provider : public vision_provider {
 protected:
  // `base_url_setting` names the setting `base_url` came from, for the error when it is unusable (throws
  // provider_error then). `auth_header` is sent with every request unless its value is empty; `key` is
  // redacted from every message.
  http_provider(const provider_settings& settings, const std::string& base_url,
                std::string_view base_url_setting, sdk::http::header_list auth_header, const std::string& key)
      : timeout_(settings.limits.timeout) {
    sdk::http::client_options options;
    options.timeout = settings.limits.timeout;
    options.retry = settings.limits.retry;
    options.max_server_delay = settings.limits.max_retry_delay;
    options.user_agent = "mcpd-gemini";
    if (!key.empty()) {
      options.default_headers = std::move(auth_header);
      options.secrets.add(key);
    }
    secrets_ = options.secrets;
    without_credentials_ = options;
    without_credentials_.default_headers.clear();
    try {
      client_.emplace(base_url, std::move(options));
    } catch (const std::invalid_argument& e) {
      throw provider_error(std::string(base_url_setting) + ": " + e.what());
    }
  }

  // The failure context of a generate call: which model, and which sampling arguments it carries.
  failure_context generate_context(std::string_view tool, const vision_request& request) const {
    failure_context context{std::string(tool), request.model, provider_operation::generate, timeout_,
                            &secrets_};
    if (request.temperature) context.sampling_sent.emplace_back("temperature");
    return context;
  }

  std::chrono::milliseconds timeout_;
  sdk::http::secret_list secrets_;
  // The same limits with no authentication header, for URLs a provider hands out (an upload session).
  sdk::http::client_options without_credentials_;
  std::optional<sdk::http::client> client_;  // always set once constructed (the client has no default)
};

}  // namespace mcpd::gemini
