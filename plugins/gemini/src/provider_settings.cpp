#include "provider_settings.hpp"

#include "model_names.hpp"

namespace mcpd::gemini {
namespace {

constexpr std::string_view config_prefix = "plugin_config.gemini.";

std::string setting_path(std::string_view key) {
  return std::string(config_prefix) + std::string(key);
}

std::string without_trailing_slashes(std::string_view text) {
  while (text.ends_with('/')) text.remove_suffix(1);
  return std::string(text);
}

// Reads an optional string; a wrong type is a problem named by path, without quoting the value (some of
// these settings are secrets). Returns `fallback` when absent or wrong.
std::string read_string(const boost::json::object& section, std::string_view key, std::string_view path,
                        std::string_view fallback, std::vector<std::string>& problems) {
  const auto* value = section.if_contains(key);
  if (value == nullptr || value->is_null()) return std::string(fallback);
  if (!value->is_string()) {
    problems.push_back(std::string(path) + " must be a string");
    return std::string(fallback);
  }
  if (value->get_string().empty()) return std::string(fallback);
  return std::string(value->get_string());
}

std::string read_url(const boost::json::object& section, std::string_view key, std::string_view path,
                     std::string_view fallback, std::vector<std::string>& problems) {
  std::string url = read_string(section, key, path, fallback, problems);
  if (url.empty()) return url;
  if (!url.starts_with("https://") && !url.starts_with("http://")) {
    problems.push_back(std::string(path) + " must be an http(s) URL");
    return std::string(fallback);
  }
  return without_trailing_slashes(url);
}

// Reads an optional integer in [minimum, maximum]; a wrong type or range is a problem named by path.
std::int64_t read_integer(const boost::json::object& section, std::string_view key, std::string_view path,
                          std::int64_t minimum, std::int64_t maximum, std::int64_t fallback,
                          std::vector<std::string>& problems) {
  const auto* value = section.if_contains(key);
  if (value == nullptr || value->is_null()) return fallback;
  std::int64_t number = 0;
  if (value->is_int64()) {
    number = value->get_int64();
  } else if (value->is_uint64() && value->get_uint64() <= static_cast<std::uint64_t>(maximum)) {
    number = static_cast<std::int64_t>(value->get_uint64());
  } else {
    problems.push_back(std::string(path) + " must be an integer");
    return fallback;
  }
  if (number < minimum || number > maximum) {
    problems.push_back(std::string(path) + " must be between " + std::to_string(minimum) + " and " +
                       std::to_string(maximum));
    return fallback;
  }
  return number;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text.append(separator);
    text.append(item);
  }
  return text;
}

void read_limits(const boost::json::object& config, request_limits& limits,
                 std::vector<std::string>& problems) {
  using std::chrono::milliseconds;
  limits.max_image_long_edge =
      static_cast<int>(read_integer(config, "max_image_long_edge", setting_path("max_image_long_edge"), 64,
                                    8192, limits.max_image_long_edge, problems));
  limits.max_request_bytes = read_integer(config, "max_request_bytes", setting_path("max_request_bytes"),
                                          1048576, 104857600, limits.max_request_bytes, problems);
  limits.timeout = milliseconds(read_integer(config, "timeout_ms", setting_path("timeout_ms"), 1000, 600000,
                                             limits.timeout.count(), problems));
  const auto* retry = config.if_contains("retry");
  if (retry == nullptr || retry->is_null()) return;
  if (!retry->is_object()) {
    problems.push_back(setting_path("retry") + " must be an object");
    return;
  }
  const auto& section = retry->get_object();
  auto& policy = limits.retry;
  policy.max_attempts = static_cast<int>(read_integer(
      section, "max_attempts", setting_path("retry.max_attempts"), 1, 10, policy.max_attempts, problems));
  policy.initial_backoff =
      milliseconds(read_integer(section, "initial_backoff_ms", setting_path("retry.initial_backoff_ms"), 0,
                                60000, policy.initial_backoff.count(), problems));
  policy.max_backoff =
      milliseconds(read_integer(section, "max_backoff_ms", setting_path("retry.max_backoff_ms"), 0, 300000,
                                policy.max_backoff.count(), problems));
  limits.max_retry_delay =
      milliseconds(read_integer(section, "max_retry_delay_ms", setting_path("retry.max_retry_delay_ms"), 0,
                                600000, limits.max_retry_delay.count(), problems));
}

}  // namespace

provider_settings provider_settings::from_config(const boost::json::object& gemini_config) {
  provider_settings settings;
  auto& problems = settings.problems;

  const std::string provider =
      read_string(gemini_config, "provider", setting_path("provider"), "gemini", problems);
  if (provider == "openai_compatible") {
    settings.provider = provider_kind::openai_compatible;
  } else if (provider != "gemini") {
    problems.push_back(setting_path("provider") + " must be \"gemini\" or \"openai_compatible\"");
  }

  settings.api_key = read_string(gemini_config, "api_key", setting_path("api_key"), "", problems);
  settings.api_base_url =
      read_url(gemini_config, "api_base_url", setting_path("api_base_url"), default_api_base_url, problems);
  settings.default_model =
      read_string(gemini_config, "default_model", setting_path("default_model"), "", problems);
  settings.model_refresh_interval = std::chrono::milliseconds(
      read_integer(gemini_config, "model_refresh_ms", setting_path("model_refresh_ms"), 1000, 604800000,
                   settings.model_refresh_interval.count(), problems));

  if (const auto* section = gemini_config.if_contains("openai_compatible");
      section != nullptr && !section->is_null()) {
    if (!section->is_object()) {
      problems.push_back(setting_path("openai_compatible") + " must be an object {base_url, api_key, model}");
    } else {
      const auto& object = section->get_object();
      auto& target = settings.openai_compatible;
      target.base_url =
          read_url(object, "base_url", setting_path("openai_compatible.base_url"), "", problems);
      target.api_key =
          read_string(object, "api_key", setting_path("openai_compatible.api_key"), "", problems);
      target.model = read_string(object, "model", setting_path("openai_compatible.model"), "", problems);
    }
  }
  read_limits(gemini_config, settings.limits, problems);
  return settings;
}

const std::string& provider_settings::configured_model() const {
  return provider == provider_kind::gemini ? default_model : openai_compatible.model;
}

std::string_view provider_settings::model_setting() const {
  return provider == provider_kind::gemini ? "plugin_config.gemini.default_model"
                                           : "plugin_config.gemini.openai_compatible.model";
}

bool provider_settings::can_choose_model_automatically() const {
  return provider == provider_kind::gemini || is_google_openai_endpoint(openai_compatible.base_url);
}

bool provider_settings::chooses_model_automatically() const {
  return configured_model().empty() && can_choose_model_automatically();
}

std::string provider_settings::readiness_problem(std::string_view tool, bool needs_configured_model) const {
  const std::string name(tool);
  if (!problems.empty()) return name + " cannot run: " + joined(problems, "; ") + ".";

  if (provider == provider_kind::gemini) {
    if (!api_key.empty()) return {};
    return name + " cannot run: no Gemini API key is configured. Set " + setting_path("api_key") +
           " (or the GEMINI_API_KEY environment variable) to a key from https://aistudio.google.com/apikey. "
           "To "
           "use a local or other OpenAI-compatible model instead, set " +
           setting_path("provider") + " to \"openai_compatible\" with " +
           setting_path("openai_compatible.base_url") + " and " + setting_path("openai_compatible.model") +
           ".";
  }

  std::vector<std::string> missing;
  if (openai_compatible.base_url.empty()) {
    missing.push_back(setting_path("openai_compatible.base_url") +
                      " (the server's /v1 URL, e.g. http://localhost:11434/v1 for Ollama)");
  }
  if (needs_configured_model && openai_compatible.model.empty() && !chooses_model_automatically()) {
    missing.push_back(setting_path("openai_compatible.model") +
                      " (or pass \"model\" in the call; a model is chosen automatically only with Google's "
                      "endpoint https://generativelanguage.googleapis.com/v1beta/openai)");
  }
  if (missing.empty()) return {};
  return name + " cannot run: provider is \"openai_compatible\" but it is not configured. Set " +
         joined(missing, " and ") + ".";
}

}  // namespace mcpd::gemini
