#include "transport/http/http_settings.hpp"

#include <algorithm>
#include <cstdint>
#include <span>

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

#include "config/closest_name.hpp"
#include "schema/json_values.hpp"
#include "transport/http/listen_address.hpp"

namespace mcpd::transport::http {
namespace json = boost::json;
using config::ConfigError;
using schema::detail::describe_hidden_value;
using schema::detail::describe_value;

namespace {

constexpr std::string_view kListenVariable = "MCPD_HTTP_LISTEN";
constexpr std::string_view kTokensVariable = "MCPD_HTTP_BEARER_TOKENS";
constexpr std::string_view kStatelessVariable = "MCPD_HTTP_STATELESS";
constexpr std::string_view kReusePortVariable = "MCPD_HTTP_REUSE_PORT";
constexpr std::string_view kAdminTokenVariable = "MCPD_ADMIN_TOKEN";

// Reads one object of the section, naming "<file>: http.<key>" in every message.
class SectionReader {
 public:
  SectionReader(const json::object& object, std::string prefix, const SettingsSource& source)
      : object_(object), prefix_(std::move(prefix)), source_(source) {}

  std::string subject(std::string_view key) const {
    return source_.origin + ": " + prefix_ + std::string(key);
  }

  void reject_unknown_keys(std::span<const std::string_view> known) const {
    for (const auto& member : object_) {
      const std::string_view key = member.key();
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string message = source_.origin + ": unknown key \"" + prefix_ + std::string(key) + "\"";
      if (const auto suggestion = config::detail::closest_name(key, known))
        message += "; did you mean \"" + prefix_ + *suggestion + "\"?";
      else
        message += " (known keys: " + joined(known) + ")";
      throw ConfigError(message);
    }
  }

  const json::value* find(std::string_view key) const { return object_.if_contains(key); }

  std::optional<std::uint64_t> integer(std::string_view key, std::uint64_t min, std::uint64_t max) const {
    const json::value* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (!schema::detail::is_integer(*value))
      throw ConfigError(subject(key) + " must be an integer, got " + describe_value(*value));
    if (schema::detail::compare_numbers(*value, json::value(min)) < 0 ||
        schema::detail::compare_numbers(*value, json::value(max)) > 0)
      throw ConfigError(subject(key) + " must be between " + std::to_string(min) + " and " +
                        std::to_string(max) + ", got " + describe_value(*value));
    if (value->is_double()) return static_cast<std::uint64_t>(value->get_double());
    return value->is_int64() ? static_cast<std::uint64_t>(value->get_int64()) : value->get_uint64();
  }

  std::optional<std::chrono::milliseconds> millis(std::string_view key, std::uint64_t min,
                                                  std::uint64_t max) const {
    if (auto n = integer(key, min, max)) return std::chrono::milliseconds(*n);
    return std::nullopt;
  }

  std::optional<bool> boolean(std::string_view key) const {
    const json::value* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_bool())
      throw ConfigError(subject(key) + " must be true or false, got " + describe_value(*value));
    return value->get_bool();
  }

  std::optional<std::string> text(std::string_view key) const {
    const json::value* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string())
      throw ConfigError(subject(key) + " must be a string, got " + describe_value(*value));
    return std::string(value->get_string());
  }

  // `secret`: the elements are never quoted in a message.
  std::optional<std::vector<std::string>> strings(std::string_view key, bool secret) const {
    const json::value* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_array())
      throw ConfigError(subject(key) + " must be an array of strings, got " +
                        (secret ? describe_hidden_value(*value) : describe_value(*value)));
    std::vector<std::string> out;
    const auto& items = value->get_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!items[i].is_string() || items[i].get_string().empty())
        throw ConfigError(subject(key) + "[" + std::to_string(i) + "] must be a non-empty string, got " +
                          (secret ? describe_hidden_value(items[i]) : describe_value(items[i])));
      out.emplace_back(items[i].get_string());
    }
    return out;
  }

  const json::object* section(std::string_view key) const {
    const json::value* value = find(key);
    if (value == nullptr) return nullptr;
    if (!value->is_object())
      throw ConfigError(subject(key) + " must be an object, got " + describe_value(*value));
    return &value->get_object();
  }

 private:
  static std::string joined(std::span<const std::string_view> items) {
    std::string out;
    for (auto item : items) out += (out.empty() ? "" : ", ") + std::string(item);
    return out;
  }

  const json::object& object_;
  std::string prefix_;
  const SettingsSource& source_;
};

void check_endpoint(const std::string& endpoint, const std::string& who) {
  const bool reserved =
      endpoint == "/healthz" || endpoint == "/metrics" || endpoint.rfind("/.well-known", 0) == 0;
  if (endpoint.empty() || endpoint.front() != '/' || endpoint.find_first_of("?# \t") != std::string::npos ||
      reserved)
    throw ConfigError(
        who + " must be a path starting with \"/\" (no query, no spaces) other than /healthz, " +
        "/metrics and /.well-known/..., got " + describe_value(json::value(json::string_view(endpoint))));
}

void check_listen(const std::string& listen, const std::string& who) {
  std::string error;
  if (!parse_listen_address(listen, error)) throw ConfigError(who + ": " + error);
}

void check_public_url(const std::string& url, const std::string& who) {
  const bool scheme_ok = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  if (!scheme_ok || url.find_first_of("?# \t") != std::string::npos)
    throw ConfigError(who + " must be an absolute http:// or https:// URL without query or fragment, got " +
                      describe_value(json::value(json::string_view(url))));
}

std::filesystem::path resolve(const std::string& path, const SettingsSource& source) {
  std::filesystem::path p(path);
  if (p.is_relative() && source.base_directory) return *source.base_directory / p;
  return p;
}

std::vector<std::string> split_tokens(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string token = text.substr(start, end - start);
    const auto first = token.find_first_not_of(" \t");
    const auto last = token.find_last_not_of(" \t");
    if (first != std::string::npos) out.push_back(token.substr(first, last - first + 1));
    start = end + 1;
  }
  return out;
}

bool parse_flag(const std::string& text, std::string_view variable) {
  std::string lower;
  for (char c : text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "1" || lower == "true" || lower == "yes" || lower == "on") return true;
  if (lower == "0" || lower == "false" || lower == "no" || lower == "off") return false;
  throw ConfigError("environment variable " + std::string(variable) +
                    " must be true or false (or 1/0, yes/no), got " +
                    describe_value(json::value(json::string_view(text))));
}

std::optional<std::string> non_empty(const config::Environment& env, std::string_view name) {
  auto value = env(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

void read_auth(const json::object& object, const SettingsSource& source, AuthSettings& auth) {
  SectionReader reader(object, "http.auth.", source);
  reader.reject_unknown_keys(kHttpAuthKeys);
  if (auto tokens = reader.strings("bearer_tokens", true)) auth.bearer_tokens = std::move(*tokens);
  if (auto servers = reader.strings("authorization_servers", false)) {
    for (std::size_t i = 0; i < servers->size(); ++i)
      check_public_url((*servers)[i], reader.subject("authorization_servers[" + std::to_string(i) + "]"));
    auth.authorization_servers = std::move(*servers);
  }
}

void read_tls(const json::object& object, const SettingsSource& source, TlsSettings& tls) {
  SectionReader reader(object, "http.tls.", source);
  reader.reject_unknown_keys(kHttpTlsKeys);
  auto cert = reader.text("cert_file");
  auto key = reader.text("key_file");
  if (cert.has_value() != key.has_value() || (cert && (cert->empty() || key->empty())))
    throw ConfigError(
        source.origin +
        ": http.tls needs both \"cert_file\" and \"key_file\" (non-empty paths to PEM files), or neither");
  if (cert) {
    tls.cert_file = resolve(*cert, source);
    tls.key_file = resolve(*key, source);
  }
}

}  // namespace

HttpSettings parse_http_settings(const config::Config& config, const config::Environment& env,
                                 const SettingsSource& source) {
  HttpSettings s;
  s.max_body_bytes = config.server.max_message_bytes;
  if (const auto* value = config.raw.if_contains("http")) {
    if (!value->is_object())
      throw ConfigError(source.origin + ": http must be an object, got " + describe_value(*value));
    SectionReader reader(value->get_object(), "http.", source);
    reader.reject_unknown_keys(kHttpKeys);
    if (auto listen = reader.text("listen")) {
      check_listen(*listen, reader.subject("listen"));
      s.listen = std::move(*listen);
    }
    if (auto endpoint = reader.text("endpoint")) {
      check_endpoint(*endpoint, reader.subject("endpoint"));
      s.endpoint = std::move(*endpoint);
    }
    if (auto b = reader.boolean("reuse_port")) s.reuse_port = *b;
    if (auto b = reader.boolean("stateless")) s.stateless = *b;
    if (auto prefix = reader.text("session_id_prefix")) {
      const bool valid = prefix->size() <= 32 && std::all_of(prefix->begin(), prefix->end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                  (c >= '0' && c <= '9') || c == '-' || c == '_';
                         });
      if (!valid)
        throw ConfigError(
            reader.subject("session_id_prefix") +
            " may hold at most 32 letters, digits, '-' and '_' (it starts every Mcp-Session-Id), got " +
            describe_value(json::value(*prefix)));
      s.session_id_prefix = std::move(*prefix);
    }
    if (auto n = reader.integer("threads", 4, 4096)) s.threads = static_cast<unsigned>(*n);
    if (auto ms = reader.millis("session_idle_timeout_ms", 100, 7ull * 24 * 3600 * 1000))
      s.session_idle_timeout = *ms;
    if (auto n = reader.integer("max_sessions", 1, 1'000'000)) s.max_sessions = *n;
    if (auto n = reader.integer("max_sessions_per_client", 1, 1'000'000)) s.max_sessions_per_client = *n;
    if (auto n = reader.integer("max_calls_per_session", 1, 100'000)) s.max_calls_per_session = *n;
    if (auto n = reader.integer("max_body_bytes", 1024, 1ull << 30)) s.max_body_bytes = *n;
    if (auto n = reader.integer("max_header_bytes", 1024, 1u << 20)) s.max_header_bytes = *n;
    if (auto ms = reader.millis("body_timeout_ms", 100, 3'600'000)) s.body_timeout = *ms;
    if (auto ms = reader.millis("header_timeout_ms", 100, 600'000)) s.header_timeout = *ms;
    if (auto n = reader.integer("max_connections_per_client", 1, 1'000'000))
      s.max_connections_per_client = *n;
    if (auto hosts = reader.strings("allowed_hosts", false)) s.allowed_hosts = std::move(*hosts);
    if (auto origins = reader.strings("allowed_origins", false)) s.allowed_origins = std::move(*origins);
    if (auto ms = reader.millis("sse_keepalive_ms", 100, 3'600'000)) s.sse_keepalive = *ms;
    if (auto ms = reader.millis("sse_retry_ms", 0, 3'600'000)) s.sse_retry = *ms;
    if (auto ms = reader.millis("sse_close_after_ms", 0, 86'400'000)) s.sse_close_after = *ms;
    if (auto n = reader.integer("sse_replay_events", 1, 1'000'000)) s.sse_replay_events = *n;
    if (auto url = reader.text("public_url")) {
      check_public_url(*url, reader.subject("public_url"));
      while (!url->empty() && url->back() == '/') url->pop_back();
      s.public_url = std::move(*url);
    }
    if (const auto* token = reader.find("admin_token")) {
      if (!token->is_string() || token->get_string().empty())
        throw ConfigError(reader.subject("admin_token") + " must be a non-empty string, got " +
                          describe_hidden_value(*token));
      s.admin_token = std::string(token->get_string());
    }
    if (const auto* auth = reader.section("auth")) read_auth(*auth, source, s.auth);
    if (const auto* tls = reader.section("tls")) read_tls(*tls, source, s.tls);
  }

  if (auto listen = non_empty(env, kListenVariable)) {
    check_listen(*listen, "environment variable " + std::string(kListenVariable));
    s.listen = std::move(*listen);
  }
  if (auto tokens = non_empty(env, kTokensVariable)) {
    s.auth.bearer_tokens = split_tokens(*tokens);
    if (s.auth.bearer_tokens.empty())
      throw ConfigError("environment variable " + std::string(kTokensVariable) +
                        " holds no token (a comma-separated list is expected; the value is hidden)");
  }
  if (auto stateless = non_empty(env, kStatelessVariable))
    s.stateless = parse_flag(*stateless, kStatelessVariable);
  if (auto reuse = non_empty(env, kReusePortVariable)) s.reuse_port = parse_flag(*reuse, kReusePortVariable);

  if (auto admin = non_empty(env, kAdminTokenVariable)) s.admin_token = std::move(*admin);
  if (s.admin_token.find_first_of(" \t\r\n") != std::string::npos)
    throw ConfigError(
        "the admin token (http.admin_token or MCPD_ADMIN_TOKEN; value hidden) contains white "
        "space; it is sent as \"Authorization: Bearer <token>\" and cannot contain spaces");
  for (const auto& token : s.auth.bearer_tokens)
    if (token.find_first_of(" \t\r\n") != std::string::npos)
      throw ConfigError(
          "a bearer token (value hidden) contains white space; tokens are sent as "
          "\"Authorization: Bearer <token>\" and cannot contain spaces");
  return s;
}

}  // namespace mcpd::transport::http
