#include "instance_settings.hpp"

#include <algorithm>
#include <limits>

#include <mcpd/sdk/http/url.hpp>

#include "util/integer_setting.hpp"

namespace mcpd::tracking {
namespace {

constexpr std::string_view config_prefix = "plugin_config.tracking.instances.";
constexpr std::size_t max_echoed_name = 64;

std::string setting_path(std::string_view instance, std::string_view key) {
  std::string path(config_prefix);
  path.append(instance).append(".").append(key);
  return path;
}

std::string without_trailing_slashes(std::string_view text) {
  while (text.ends_with('/')) text.remove_suffix(1);
  return std::string(text);
}

// Reads an optional string setting. Wrong types become a problem; the value is never quoted, since
// some of these settings are secrets.
std::string read_string(const boost::json::object& settings, std::string_view instance, std::string_view key,
                        std::vector<std::string>& problems) {
  const auto* value = settings.if_contains(key);
  if (value == nullptr || value->is_null()) return {};
  if (!value->is_string()) {
    problems.push_back(setting_path(instance, key) + " must be a string");
    return {};
  }
  return std::string(value->get_string());
}

std::string read_url(const boost::json::object& settings, std::string_view instance, std::string_view key,
                     std::vector<std::string>& problems) {
  std::string url = read_string(settings, instance, key, problems);
  if (url.empty()) return url;
  // The same check the HTTP client makes when it is built, so a URL it would refuse is a load-time
  // problem with the reason, not "no usable api_host" at the first call.
  if (std::string why; !sdk::http::parse_base_url(url, &why)) {
    problems.push_back(setting_path(instance, key) + " " + why +
                       ": give the base URL, such as https://us.posthog.com");
    return {};
  }
  return without_trailing_slashes(url);
}

std::optional<std::int64_t> read_project_id(const boost::json::object& settings, std::string_view instance,
                                            std::vector<std::string>& problems) {
  const auto* value = settings.if_contains("project_id");
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (value->is_int64() && value->get_int64() > 0) return value->get_int64();
  if (value->is_uint64() &&
      value->get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return static_cast<std::int64_t>(value->get_uint64());
  }
  problems.push_back(setting_path(instance, "project_id") +
                     " must be the numeric project id (a positive integer); omit it to use @current");
  return std::nullopt;
}

std::chrono::milliseconds read_timeout(const boost::json::object& settings, std::string_view instance,
                                       std::vector<std::string>& problems) {
  return std::chrono::milliseconds(
      integer_setting(settings, "timeout_ms", 100, 600'000, setting_path(instance, "timeout_ms"), problems)
          .value_or(15'000));
}

unsigned read_rate_limit(const boost::json::object& settings, std::string_view instance,
                         std::vector<std::string>& problems) {
  return static_cast<unsigned>(integer_setting(settings, "rate_limit_per_minute", 1, 10'000,
                                               setting_path(instance, "rate_limit_per_minute"), problems)
                                   .value_or(240));
}

// Keys pasted into the wrong slot are a common mistake; say so without showing the key.
void check_key_kinds(const posthog_instance& instance, std::vector<std::string>& problems) {
  if (instance.project_api_key.starts_with("phx_")) {
    problems.push_back(setting_path(instance.name, "project_api_key") +
                       " holds a personal API key (phx_...); it needs the project API key (phc_...)");
  }
  if (instance.personal_api_key.starts_with("phc_")) {
    problems.push_back(setting_path(instance.name, "personal_api_key") +
                       " holds a project API key (phc_...); it needs a personal API key (phx_...)");
  }
}

posthog_instance parse_instance(std::string name, const boost::json::value& value) {
  posthog_instance instance;
  instance.name = std::move(name);
  if (!value.is_object()) {
    instance.problems.push_back(std::string(config_prefix) + instance.name +
                                " must be an object of settings");
    return instance;
  }
  const auto& settings = value.get_object();
  auto& problems = instance.problems;
  const std::string configured_api_host = read_url(settings, instance.name, "api_host", problems);
  instance.api_host =
      configured_api_host.empty() ? configured_api_host : normalize_api_host(configured_api_host);
  instance.ingest_host = read_url(settings, instance.name, "ingest_host", problems);
  if (instance.ingest_host.empty() && !instance.api_host.empty()) {
    instance.ingest_host = derive_ingest_host(instance.api_host);
  }
  instance.project_api_key = read_string(settings, instance.name, "project_api_key", problems);
  instance.personal_api_key = read_string(settings, instance.name, "personal_api_key", problems);
  instance.project_id = read_project_id(settings, instance.name, problems);
  instance.timeout = read_timeout(settings, instance.name, problems);
  instance.rate_limit_per_minute = read_rate_limit(settings, instance.name, problems);
  check_key_kinds(instance, problems);
  return instance;
}

std::string_view setting_key(posthog_setting setting) {
  switch (setting) {
    case posthog_setting::api_host:
    case posthog_setting::ingest_host:  // set through api_host unless the operator splits them
      return "api_host";
    case posthog_setting::project_api_key:
      return "project_api_key";
    case posthog_setting::personal_api_key:
      return "personal_api_key";
  }
  return "api_host";
}

std::string_view environment_variable(posthog_setting setting) {
  switch (setting) {
    case posthog_setting::api_host:
    case posthog_setting::ingest_host:
      return "POSTHOG_API_HOST";
    case posthog_setting::project_api_key:
      return "POSTHOG_PROJECT_KEY";
    case posthog_setting::personal_api_key:
      return "POSTHOG_PERSONAL_API_KEY";
  }
  return "POSTHOG_API_HOST";
}

std::string_view setting_meaning(posthog_setting setting) {
  switch (setting) {
    case posthog_setting::api_host:
    case posthog_setting::ingest_host:
      return "the PostHog URL, e.g. https://us.posthog.com, https://eu.posthog.com or your self-hosted URL";
    case posthog_setting::project_api_key:
      return "the project API key, phc_...";
    case posthog_setting::personal_api_key:
      return "a personal API key, phx_..., with the scopes this tool lists";
  }
  return {};
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text.append(separator);
    text.append(item);
  }
  return text;
}

std::string echoed_name(std::string_view name) {
  return std::string(name.substr(0, max_echoed_name)) + (name.size() > max_echoed_name ? "..." : "");
}

std::string missing_settings_message(std::string_view tool, const posthog_instance& instance,
                                     std::span<const posthog_setting> needs) {
  std::vector<posthog_setting> missing;
  for (auto setting : needs) {
    const bool already_listed = std::any_of(missing.begin(), missing.end(), [&](posthog_setting listed) {
      return setting_key(listed) == setting_key(setting);
    });
    if (!instance.has(setting) && !already_listed) missing.push_back(setting);
  }
  if (missing.empty()) return {};

  const bool is_default = instance.name == default_instance_name;
  std::string message(tool);
  message.append(" cannot run: PostHog instance \"").append(instance.name).append("\" has no ");
  for (std::size_t i = 0; i < missing.size(); ++i) {
    if (i > 0) message.append(i + 1 == missing.size() ? " and no " : ", no ");
    message.append(setting_key(missing[i]));
  }
  message.append(". Set ");
  for (std::size_t i = 0; i < missing.size(); ++i) {
    if (i > 0) message.append(i + 1 == missing.size() ? " and " : ", ");
    message.append(setting_path(instance.name, setting_key(missing[i])));
    message.append(" (").append(setting_meaning(missing[i]));
    if (is_default)
      message.append("; or the ").append(environment_variable(missing[i])).append(" environment variable");
    message.append(")");
  }
  message.append(".");
  return message;
}

}  // namespace

bool posthog_instance::has(posthog_setting setting) const {
  switch (setting) {
    case posthog_setting::api_host:
      return !api_host.empty();
    case posthog_setting::ingest_host:
      return !ingest_host.empty();
    case posthog_setting::project_api_key:
      return !project_api_key.empty();
    case posthog_setting::personal_api_key:
      return !personal_api_key.empty();
  }
  return false;
}

std::string derive_ingest_host(std::string_view api_host) {
  const std::string base = without_trailing_slashes(api_host);
  if (base == "https://us.posthog.com" || base == "https://app.posthog.com")
    return "https://us.i.posthog.com";
  if (base == "https://eu.posthog.com") return "https://eu.i.posthog.com";
  return base;
}

std::string normalize_api_host(std::string_view api_host) {
  const std::string base = without_trailing_slashes(api_host);
  if (base == "https://us.i.posthog.com") return "https://us.posthog.com";
  if (base == "https://eu.i.posthog.com") return "https://eu.posthog.com";
  return base;
}

instance_settings instance_settings::from_config(const boost::json::object& tracking_config) {
  instance_settings settings;
  const auto* instances = tracking_config.if_contains("instances");
  if (instances == nullptr || instances->is_null()) return settings;
  if (!instances->is_object()) {
    settings.problems_.push_back(
        "plugin_config.tracking.instances must be an object mapping instance names to their settings");
    return settings;
  }
  for (const auto& [name, value] : instances->get_object()) {
    std::string key(name);
    settings.instances_.emplace(key, parse_instance(key, value));
  }
  return settings;
}

std::vector<std::string> instance_settings::problems() const {
  std::vector<std::string> all = problems_;
  for (const auto& [name, instance] : instances_) {
    all.insert(all.end(), instance.problems.begin(), instance.problems.end());
  }
  return all;
}

std::vector<std::string> instance_settings::names() const {
  std::vector<std::string> names;
  for (const auto& [name, instance] : instances_) names.push_back(name);
  return names;
}

instance_lookup instance_settings::resolve(std::string_view tool, const boost::json::object& arguments,
                                           std::span<const posthog_setting> needs) const {
  std::string_view requested = default_instance_name;
  if (const auto* value = arguments.if_contains("instance"); value != nullptr && !value->is_null()) {
    if (!value->is_string()) {
      return {nullptr,
              std::string(tool) + ": \"instance\" must be a string naming a configured PostHog instance"};
    }
    requested = value->get_string();
  }

  const auto found = instances_.find(requested);
  if (found == instances_.end() && requested != default_instance_name) {
    std::string message(tool);
    message.append(": unknown PostHog instance \"").append(echoed_name(requested)).append("\". ");
    if (instances_.empty()) {
      message.append("No instances are configured; add one under plugin_config.tracking.instances.");
    } else {
      message.append("Configured instances: ").append(joined(names(), ", ")).append(".");
    }
    if (!problems_.empty()) message.append(" Also: ").append(joined(problems_, "; ")).append(".");
    return {nullptr, message};
  }

  // An absent "default" behaves like an empty one, so the message names the settings to add.
  static const posthog_instance unconfigured_default = [] {
    posthog_instance empty;
    empty.name = std::string(default_instance_name);
    return empty;
  }();
  const posthog_instance& instance = found == instances_.end() ? unconfigured_default : found->second;

  if (!instance.problems.empty()) {
    return {nullptr, std::string(tool) + " cannot use PostHog instance \"" + instance.name +
                         "\": " + joined(instance.problems, "; ") + "."};
  }
  if (std::string message = missing_settings_message(tool, instance, needs); !message.empty()) {
    if (found == instances_.end() && !instances_.empty()) {
      message.append(" Or pass \"instance\" as one of: ").append(joined(names(), ", ")).append(".");
    }
    if (!problems_.empty()) message.append(" Also: ").append(joined(problems_, "; ")).append(".");
    return {nullptr, message};
  }
  return {&instance, {}};
}

}  // namespace mcpd::tracking
