#include "upstream_failure.hpp"

#include <regex>

namespace mcpd::tracking {
namespace {

constexpr std::size_t max_detail = 300;

std::string settings_path(const request_context& context, std::string_view key) {
  return "plugin_config.tracking.instances." + context.instance + "." + std::string(key);
}

// " (or the POSTHOG_... environment variable)" for the default instance, whose keys usually come from there.
std::string environment_hint(const request_context& context, std::string_view variable) {
  if (context.instance != "default") return {};
  return " (or the " + std::string(variable) + " environment variable)";
}

std::string redacted(const request_context& context, std::string_view text) {
  return context.secrets != nullptr ? context.secrets->redact(text) : std::string(text);
}

std::string with_detail(std::string message, const std::string& detail) {
  if (!detail.empty()) message.append(" PostHog said: \"").append(detail).append("\"");
  return message;
}

std::string seconds_text(std::chrono::milliseconds wait) {
  const auto seconds = (wait.count() + 999) / 1000;
  return std::to_string(seconds < 1 ? 1 : seconds) + " s";
}

// "Expected available in 12 seconds." in a DRF throttle body, when there is no Retry-After header.
std::optional<std::chrono::milliseconds> throttle_wait_from_detail(std::string_view detail) {
  static const std::regex pattern(R"(available in (\d+) second)");
  std::match_results<std::string_view::const_iterator> match;
  if (std::regex_search(detail.begin(), detail.end(), match, pattern)) {
    return std::chrono::milliseconds(std::stoll(match[1].str()) * 1000);
  }
  return std::nullopt;
}

// "API key missing required scope 'query:read'" -> "query:read".
std::string scope_from_detail(std::string_view detail) {
  static const std::regex pattern(R"(scope '([A-Za-z_:]+)')");
  std::match_results<std::string_view::const_iterator> match;
  if (std::regex_search(detail.begin(), detail.end(), match, pattern)) return match[1].str();
  return {};
}

// The "code" of a DRF error body ({"type":"validation_error","code":"hogql_syntax_error",...}), or "".
std::string error_code(std::string_view body, const sdk::http::secret_list* secrets) {
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object()) return {};
  const auto* code = parsed.get_object().if_contains("code");
  if (code == nullptr || !code->is_string()) return {};
  return sdk::http::redacted_excerpt(std::string(code->get_string()), 60, secrets);
}

std::string attempts_text(int attempts) {
  return std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
}

std::string key_setting(const request_context& context) {
  return context.key == posthog_key::personal ? "personal_api_key" : "project_api_key";
}

std::string host_setting(const request_context& context) {
  return context.key == posthog_key::personal ? "api_host" : "api_host (or ingest_host)";
}

}  // namespace

std::string error_detail(std::string_view body, const sdk::http::secret_list* secrets) {
  std::string detail;
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(body, ec);
  if (!ec && parsed.is_object()) {
    for (const char* field : {"detail", "error", "message"}) {
      const auto* value = parsed.get_object().if_contains(field);
      if (value != nullptr && value->is_string()) {
        detail = std::string(value->get_string());
        break;
      }
    }
    if (detail.empty()) detail = boost::json::serialize(parsed);
  } else {
    detail = std::string(body);
  }
  return sdk::http::redacted_excerpt(detail, max_detail, secrets);
}

std::string describe_failure(const request_context& context, const sdk::http::outcome& outcome) {
  using sdk::http::failure_kind;
  const std::string& tool = context.tool;
  const bool personal = context.key == posthog_key::personal;
  if (!outcome.reply) {
    switch (outcome.failure) {
      case failure_kind::cancelled:
        return tool + ": cancelled";
      case failure_kind::rate_limited_locally:
        return tool + ": the client-side rate limit of PostHog instance \"" + context.instance +
               "\" (personal API key) is reached; retry after " +
               seconds_text(outcome.retry_after.value_or(std::chrono::milliseconds(1000))) + ", or raise " +
               settings_path(context, "rate_limit_per_minute") + " if your PostHog plan allows more.";
      case failure_kind::timeout:
        return tool + ": PostHog did not answer within " + std::to_string(context.timeout.count()) + " ms (" +
               attempts_text(outcome.attempts) + "). Try again later, or raise " +
               settings_path(context, "timeout_ms") + ". (" + redacted(context, outcome.failure_detail) + ")";
      case failure_kind::too_large:
        return tool + ": " + redacted(context, outcome.failure_detail) + ". Check that " +
               settings_path(context, host_setting(context)) +
               " points at PostHog itself; a PostHog answer of this size means the query asks for too much "
               "(narrow it, or use a smaller limit).";
      case failure_kind::tls:
        return tool + ": " + redacted(context, outcome.failure_detail) + ". Check " +
               settings_path(context, "api_host") +
               " (the scheme and host name) and that the server's certificate is trusted by this machine.";
      default:
        return tool + ": " + redacted(context, outcome.failure_detail) + " after " +
               attempts_text(outcome.attempts) + ". Check " + settings_path(context, host_setting(context)) +
               " and the network connection.";
    }
  }

  const int status = outcome.reply->status;
  const std::string detail = error_detail(outcome.reply->body, context.secrets);
  const std::string code = " (HTTP " + std::to_string(status) + ")";
  if (status == 401 || (status == 403 && !personal)) {
    const std::string key_kind = personal ? "personal API key (phx_...)" : "project API key (phc_...)";
    return with_detail(
        tool + ": PostHog refused the " + key_kind + code + ". Check " +
            settings_path(context, key_setting(context)) +
            environment_hint(context, personal ? "POSTHOG_PERSONAL_API_KEY" : "POSTHOG_PROJECT_KEY") +
            ": it must be a valid key of this PostHog project and region (a US-cloud key does not work "
            "on the EU cloud).",
        detail);
  }
  if (status == 403) {
    std::string scope = scope_from_detail(detail);
    if (scope.empty()) scope = context.scope;
    std::string message =
        tool + ": the personal API key is not allowed to do this" + code + ": it is missing the scope " +
        (scope.empty() ? std::string("this endpoint needs") : "\"" + scope + "\"") +
        " or access to this project. Add the scope to the key in PostHog (Settings > Personal API "
        "keys), or use a key that has it.";
    return with_detail(std::move(message), detail);
  }
  if (status == 404) {
    const std::string what = context.not_found.empty() ? "PostHog has no such resource; check " +
                                                             settings_path(context, "project_id") + " and " +
                                                             settings_path(context, "api_host")
                                                       : context.not_found;
    return with_detail(tool + ": " + what + code + ".", detail);
  }
  if (status == 413) {
    return with_detail(tool + ": PostHog refused the request as too large" + code + ".", detail);
  }
  if (status == 429) {
    auto wait = outcome.retry_after;
    if (!wait) wait = throttle_wait_from_detail(detail);
    std::string message =
        tool + ": PostHog rate limited the request" + code + " after " + attempts_text(outcome.attempts);
    message.append(wait ? "; retry after " + seconds_text(*wait) + "." : "; wait a minute before retrying.");
    message.append(" PostHog limits API calls per project (e.g. 240 per minute for analytics queries).");
    return with_detail(std::move(message), detail);
  }
  if (status >= 500) {
    std::string message = tool + ": PostHog failed with a server error" + code + " after " +
                          attempts_text(outcome.attempts) +
                          "; the problem is on PostHog's side, try again later";
    message.append(outcome.retry_after ? " (it asked to wait " + seconds_text(*outcome.retry_after) + ")."
                                       : ".");
    return with_detail(std::move(message), detail);
  }
  if (status == 400 && !context.invalid_request_fix.empty()) {
    const std::string kind = error_code(outcome.reply->body, context.secrets);
    return with_detail(tool + ": PostHog rejected the request as invalid (HTTP 400" +
                           (kind.empty() ? std::string() : ", " + kind) +
                           "): " + context.invalid_request_fix + ".",
                       detail);
  }
  if (status >= 300 && status < 400) {
    return tool + ": PostHog answered with a redirect" + code + " to " +
           redacted(context, outcome.reply->header("Location")) + "; set " +
           settings_path(context, host_setting(context)) + " to the URL it redirects to.";
  }
  return with_detail(tool + ": PostHog refused the request" + code + ".", detail);
}

void throw_failure(const request_context& context, const sdk::http::outcome& outcome) {
  const int status = outcome.reply ? outcome.reply->status : 0;
  throw upstream_error(describe_failure(context, outcome), status,
                       outcome.failure == sdk::http::failure_kind::cancelled);
}

boost::json::value parse_json_body(const request_context& context, std::string_view body) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(body, ec);
  if (!ec) return parsed;
  throw upstream_error(context.tool + ": PostHog answered with something that is not JSON (\"" +
                           sdk::http::redacted_excerpt(body, 80, context.secrets) + "\"). Check that " +
                           settings_path(context, host_setting(context)) + " points at PostHog itself.",
                       0);
}

}  // namespace mcpd::tracking
