#include "posthog_client.hpp"

#include <mcpd/sdk/http/context_hooks.hpp>

#include "../flags/definitions_cache.hpp"

namespace mcpd::tracking {
namespace {

constexpr std::string_view user_agent = "mcpd-tracking/0.2 (+https://github.com/mcpd)";

sdk::http::client_options client_options(const posthog_instance& settings, const plugin_options& options,
                                         const sdk::http::secret_list& secrets) {
  sdk::http::client_options result;
  result.timeout = settings.timeout;
  result.retry = options.retry;
  result.user_agent = std::string(user_agent);
  result.secrets = secrets;
  return result;
}

}  // namespace

posthog_client::posthog_client(const posthog_instance& settings, const plugin_options& options,
                               sdk::host host)
    : settings_(settings),
      options_(options),
      host_(host),
      personal_key_limiter_(settings.rate_limit_per_minute),
      project_id_(settings.project_id),
      definitions_(std::make_unique<flag_definitions_cache>()) {
  secrets_.add(settings_.project_api_key);
  secrets_.add(settings_.personal_api_key);
  // Hosts were checked when the settings were read; a URL the client still refuses leaves the client unset,
  // and tools that need it report the setting (instance_settings::resolve) before getting here.
  if (!settings_.ingest_host.empty()) {
    try {
      ingest_.emplace(settings_.ingest_host, client_options(settings_, options_, secrets_));
    } catch (const std::invalid_argument&) {
    }
  }
  if (!settings_.api_host.empty()) {
    auto api_options = client_options(settings_, options_, secrets_);
    if (!settings_.personal_api_key.empty()) {
      api_options.default_headers.emplace_back("Authorization", "Bearer " + settings_.personal_api_key);
    }
    try {
      api_.emplace(settings_.api_host, std::move(api_options));
    } catch (const std::invalid_argument&) {
    }
  }
}

posthog_client::~posthog_client() = default;

void posthog_client::log(sdk::log_level level, std::string_view message) const {
  host_.log(level, "PostHog instance \"" + settings_.name + "\": " + secrets_.redact(message));
}

sdk::http::call_hooks posthog_client::hooks(const sdk::call_context& ctx) const {
  sdk::http::call_hooks result = sdk::http::hooks_for(ctx);
  result.on_retry = [host = host_, instance = settings_.name](std::string_view line) {
    host.log(sdk::log_level::info, "PostHog instance \"" + instance + "\": " + std::string(line));
  };
  return result;
}

request_context posthog_client::context(std::string_view tool, posthog_key key, std::string_view scope,
                                        std::string not_found) const {
  request_context result;
  result.tool = std::string(tool);
  result.instance = settings_.name;
  result.key = key;
  result.scope = std::string(scope);
  result.not_found = std::move(not_found);
  result.timeout = settings_.timeout;
  result.secrets = &secrets_;
  return result;
}

sdk::http::outcome posthog_client::post_ingest(std::string_view target, std::string body,
                                               const sdk::http::call_hooks& hooks) const {
  if (!ingest_)
    throw std::logic_error("PostHog instance \"" + settings_.name + "\" has no usable ingest_host");
  sdk::http::request request;
  request.method = "POST";
  request.target = std::string(target);
  request.body = std::move(body);
  request.content_type = "application/json";
  return ingest_->send(request, hooks);
}

sdk::http::outcome posthog_client::get_flag_definitions(std::string_view etag,
                                                        const sdk::http::call_hooks& hooks) const {
  if (!ingest_)
    throw std::logic_error("PostHog instance \"" + settings_.name + "\" has no usable ingest_host");
  sdk::http::request request;
  request.method = "GET";
  request.target =
      sdk::http::target(sdk::http::path("/flags/definitions"),
                        sdk::http::query{{"token", settings_.project_api_key}}.flag("send_cohorts"));
  request.headers.emplace_back("Authorization", "Bearer " + settings_.personal_api_key);
  if (!etag.empty()) request.headers.emplace_back("If-None-Match", std::string(etag));
  request.limiter = &personal_key_limiter_;
  return ingest_->send(request, hooks);
}

boost::json::value posthog_client::private_request(const request_context& context, std::string_view method,
                                                   std::string target, const boost::json::object* body,
                                                   const sdk::http::call_hooks& hooks) const {
  if (!api_) throw std::logic_error("PostHog instance \"" + settings_.name + "\" has no usable api_host");
  sdk::http::request request;
  request.method = std::string(method);
  request.target = std::move(target);
  if (body != nullptr) {
    request.body = boost::json::serialize(*body);
    request.content_type = "application/json";
  }
  request.headers.emplace_back("Accept", "application/json");
  request.limiter = &personal_key_limiter_;
  const auto outcome = api_->send(request, hooks);
  if (!outcome.ok()) throw_failure(context, outcome);
  return parse_json_body(context, outcome.reply->body);
}

sdk::http::outcome posthog_client::private_get_raw(std::string target, const sdk::http::call_hooks& hooks,
                                                   sdk::http::body_sink* sink) const {
  if (!api_) throw std::logic_error("PostHog instance \"" + settings_.name + "\" has no usable api_host");
  sdk::http::request request;
  request.target = std::move(target);
  request.limiter = &personal_key_limiter_;
  request.sink = sink;
  return api_->send(request, hooks);
}

sdk::http::outcome posthog_client::fetch_without_credentials(std::string_view url,
                                                             const sdk::http::call_hooks& hooks,
                                                             sdk::http::body_sink* sink) const {
  const std::size_t scheme = url.find("://");
  const std::size_t path_start =
      scheme == std::string_view::npos ? url.npos : url.find_first_of("/?", scheme + 3);
  const std::string origin(url.substr(0, path_start));
  std::string target = path_start == std::string_view::npos ? "/" : std::string(url.substr(path_start));
  if (target.front() == '?') target.insert(0, "/");
  auto options = client_options(settings_, options_, secrets_);
  if (const std::size_t query = target.find('?'); query != std::string::npos) {
    options.secrets.add(target.substr(query + 1));
  }
  const sdk::http::client storage(origin, std::move(options));  // throws std::invalid_argument on a bad URL
  sdk::http::request request;
  request.target = std::move(target);
  request.sink = sink;
  return storage.send(request, hooks);
}

std::int64_t posthog_client::project_id(std::string_view tool, const sdk::http::call_hooks& hooks) const {
  std::lock_guard lock(project_mutex_);  // one resolution at a time; later callers find it cached
  if (project_id_) return *project_id_;
  const auto context = this->context(tool, posthog_key::personal, "project:read",
                                     "the personal API key has no current project (@current)");
  const auto answer = private_request(context, "GET", "/api/projects/@current/", nullptr, hooks);
  const auto* id = answer.is_object() ? answer.get_object().if_contains("id") : nullptr;
  if (id == nullptr || !id->is_int64() || id->get_int64() <= 0) {
    throw upstream_error(std::string(tool) +
                             ": PostHog's answer for the current project has no numeric \"id\"; set " +
                             "plugin_config.tracking.instances." + settings_.name + ".project_id explicitly.",
                         0);
  }
  project_id_ = id->get_int64();
  host_.log(sdk::log_level::info, "PostHog instance \"" + settings_.name + "\": using project " +
                                      std::to_string(*project_id_) + " (resolved from @current)");
  return *project_id_;
}

sdk::http::path posthog_client::project_path(std::string_view tool,
                                             const sdk::http::call_hooks& hooks) const {
  sdk::http::path path("/api/projects");
  path.segment(project_id(tool, hooks));
  return path;
}

}  // namespace mcpd::tracking
