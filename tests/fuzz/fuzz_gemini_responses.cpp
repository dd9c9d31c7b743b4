// Gemini's and OpenAI-compatible servers' answers, hostile, through the real clients: a loopback server
// answers every request with the fuzz input's status and body, and generateContent, models.list and the
// chat-completions call read it, map errors, and follow google.rpc error details. Input is
// "<status selector byte><body>". An answer may be refused with provider_error (a message); it may not
// crash, hang or quote the key.
#include <atomic>
#include <mutex>
#include <string>

#include "fuzz_input.hpp"
#include "loopback_server.hpp"
#include "provider_error.hpp"
#include "providers/gemini_client.hpp"
#include "providers/openai_client.hpp"

using namespace mcpd::gemini;

namespace {

constexpr std::string_view key = "AIzaFUZZSECRET0123456789abcdefghij";
constexpr int statuses[] = {200, 200, 200, 400, 401, 403, 404, 413, 429, 500, 503, 302};

struct upstream {
  std::mutex mutex;
  int status = 200;
  std::string body;
  mcpd_test::loopback_server server;

  upstream() {
    const auto answer = [this](const httplib::Request&, httplib::Response& res) {
      std::lock_guard lock(mutex);
      res.status = status;
      res.set_content(body, "application/json");
    };
    server.routes().Post(".*", answer);
    server.routes().Get(".*", answer);
    server.start();
  }
};

upstream& the_upstream() {
  static upstream instance;
  return instance;
}

provider_settings settings_for(provider_kind kind, const std::string& url) {
  provider_settings settings;
  settings.provider = kind;
  settings.api_key = std::string(key);
  settings.api_base_url = url;
  settings.openai_compatible = {url + "/v1", std::string(key), "fuzz-model"};
  settings.limits.timeout = std::chrono::milliseconds(5000);
  settings.limits.retry = {1, std::chrono::milliseconds(0), std::chrono::milliseconds(0)};  // no waits
  settings.limits.max_retry_delay = std::chrono::milliseconds(0);
  return settings;
}

void require_no_key(std::string_view text, std::string_view body) {
  if (mcpd_fuzz::leaks_secret(text, body, key)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto& up = the_upstream();
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  {
    std::lock_guard lock(up.mutex);
    up.status = statuses[data[0] % std::size(statuses)];
    up.body = body;
  }
  vision_request request;
  request.model = "gemini-2.5-flash";
  request.question = "What is on the screen?";
  request.images.push_back({"image/png", "iVBORw0KGgo=", "frame at 00:01"});
  request.response_schema = boost::json::object{{"type", "object"}};

  for (const auto kind : {provider_kind::gemini, provider_kind::openai_compatible}) {
    try {
      const auto provider =
          kind == provider_kind::gemini
              ? std::unique_ptr<vision_provider>(new gemini_client(settings_for(kind, up.server.url())))
              : std::unique_ptr<vision_provider>(new openai_client(settings_for(kind, up.server.url())));
      try {
        const auto answer =
            provider->generate(request, provider->request_body(request), "gemini.ask_about_images", {});
        require_no_key(answer.text, body);
      } catch (const std::exception& error) {  // the SDK turns any exception into an error result
        require_no_key(error.what(), body);
      }
      try {
        (void)provider->list_models("gemini.models_list", {});
      } catch (const std::exception& error) {  // the SDK turns any exception into an error result
        require_no_key(error.what(), body);
      }
    } catch (const std::exception&) {
    }
  }
  return 0;
}
