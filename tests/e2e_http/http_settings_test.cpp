// The "http" configuration section and the MCPD_HTTP_* variables, read
// straight through mcpd_http (no process needed).
#include <catch2/catch.hpp>

#include <map>

#include "config/config.hpp"
#include "transport/http/http_settings.hpp"
#include "transport/http/listen_address.hpp"

using namespace mcpd::transport::http;
using mcpd::config::ConfigError;

namespace {

mcpd::config::Environment environment(std::map<std::string, std::string> values) {
  return [values](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

HttpSettings parse(std::string_view text, std::map<std::string, std::string> env = {}) {
  auto config = mcpd::config::parse(text, environment({}), "test.json");
  return parse_http_settings(config, environment(std::move(env)), SettingsSource{"test.json", std::nullopt});
}

std::string error_of(std::string_view text, std::map<std::string, std::string> env = {}) {
  try {
    parse(text, std::move(env));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("http settings have safe defaults", "[e2e_http][settings]") {
  auto s = parse("{}");
  CHECK(s.listen == "127.0.0.1:8080");
  CHECK(s.endpoint == "/mcp");
  CHECK_FALSE(s.stateless);
  CHECK(s.threads >= 128);
  CHECK(s.max_body_bytes == mcpd::config::ServerSettings{}.max_message_bytes);
  CHECK(s.allowed_hosts == std::vector<std::string>{"localhost", "127.0.0.1", "[::1]"});
  CHECK_FALSE(s.auth.enabled());
  CHECK_FALSE(s.tls.enabled());
  // "http" is a known top-level key: no warning about it.
  auto config = mcpd::config::parse(R"({"http": {}})", environment({}), "test.json");
  CHECK(config.warnings.empty());
}

TEST_CASE("http settings are read from the file and overridden by the environment", "[e2e_http][settings]") {
  auto s = parse(R"({"server": {"max_message_bytes": 4096},
                     "http": {"listen": "[::1]:9000", "endpoint": "/rpc", "stateless": false, "threads": 64,
                              "session_idle_timeout_ms": 1000, "max_sessions": 3, "max_calls_per_session": 4,
                              "allowed_hosts": ["mcp.example.com"], "allowed_origins": ["https://app.example.com"],
                              "sse_keepalive_ms": 500, "sse_retry_ms": 10, "sse_close_after_ms": 100,
                              "sse_replay_events": 7, "public_url": "https://mcp.example.com/",
                              "auth": {"bearer_tokens": ["a"], "authorization_servers": ["https://as.example.com"]},
                              "tls": {"cert_file": "/c.pem", "key_file": "/k.pem"}}})",
                 {{"MCPD_HTTP_LISTEN", "0.0.0.0:7000"},
                  {"MCPD_HTTP_BEARER_TOKENS", " one , two ,"},
                  {"MCPD_HTTP_STATELESS", "yes"}});
  CHECK(s.listen == "0.0.0.0:7000");
  CHECK(s.endpoint == "/rpc");
  CHECK(s.stateless);
  CHECK(s.threads == 64);
  CHECK(s.session_idle_timeout == std::chrono::milliseconds(1000));
  CHECK(s.max_sessions == 3);
  CHECK(s.max_calls_per_session == 4);
  CHECK(s.max_body_bytes == 4096);
  CHECK(s.allowed_hosts == std::vector<std::string>{"mcp.example.com"});
  CHECK(s.sse_close_after == std::chrono::milliseconds(100));
  CHECK(s.sse_replay_events == 7);
  CHECK(s.public_url == "https://mcp.example.com");
  CHECK(s.auth.bearer_tokens == std::vector<std::string>{"one", "two"});
  CHECK(s.auth.authorization_servers == std::vector<std::string>{"https://as.example.com"});
  CHECK(s.tls.cert_file == "/c.pem");
}

TEST_CASE("mistakes in the http section are errors that say what to fix", "[e2e_http][settings]") {
  CHECK(error_of(R"({"http": 5})").find("test.json: http must be an object") != std::string::npos);
  CHECK(error_of(R"({"http": {"threads": "many"}})").find("http.threads must be an integer") !=
        std::string::npos);
  CHECK(error_of(R"({"http": {"threads": 1}})").find("between 4 and 4096") != std::string::npos);
  CHECK(error_of(R"({"http": {"stateles": true}})").find("did you mean \"http.stateless\"") !=
        std::string::npos);
  CHECK(error_of(R"({"http": {"zzz": 1}})").find("known keys") != std::string::npos);
  CHECK(error_of(R"({"http": {"endpoint": "mcp"}})").find("http.endpoint") != std::string::npos);
  CHECK(error_of(R"({"http": {"endpoint": "/healthz"}})").find("http.endpoint") != std::string::npos);
  CHECK(error_of(R"({"http": {"listen": "nowhere"}})").find("http.listen") != std::string::npos);
  CHECK(error_of(R"({"http": {"tls": {"cert_file": "/c.pem"}}})").find("both") != std::string::npos);
  CHECK(error_of(R"({"http": {"auth": {"tokens": ["x"]}}})").find("http.auth.tokens") != std::string::npos);
  CHECK(error_of(R"({"http": {"public_url": "ftp://x"}})").find("http.public_url") != std::string::npos);
  CHECK(error_of("{}", {{"MCPD_HTTP_STATELESS", "maybe"}}).find("MCPD_HTTP_STATELESS") != std::string::npos);
  CHECK(error_of("{}", {{"MCPD_HTTP_LISTEN", "9000"}}) == "no error");
  CHECK(error_of("{}", {{"MCPD_HTTP_LISTEN", "a:b:c"}}).find("MCPD_HTTP_LISTEN") != std::string::npos);
}

TEST_CASE("token values never appear in configuration errors", "[e2e_http][settings]") {
  const auto message = error_of(R"({"http": {"auth": {"bearer_tokens": ["super-secret-value", 5]}}})");
  CHECK(message.find("bearer_tokens[1]") != std::string::npos);
  CHECK(message.find("super-secret-value") == std::string::npos);
  const auto spaced = error_of(R"({"http": {"auth": {"bearer_tokens": ["has space-secret"]}}})");
  CHECK(spaced.find("white space") != std::string::npos);
  CHECK(spaced.find("space-secret") == std::string::npos);
  CHECK(error_of("{}", {{"MCPD_HTTP_BEARER_TOKENS", " , "}}).find("no token") != std::string::npos);
}

TEST_CASE("listen addresses", "[e2e_http][settings]") {
  std::string error;
  auto v4 = parse_listen_address("0.0.0.0:80", error);
  REQUIRE(v4);
  CHECK(v4->host == "0.0.0.0");
  CHECK(v4->port == 80);
  auto v6 = parse_listen_address("[::1]:0", error);
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->to_string() == "[::1]:0");
  auto bare = parse_listen_address("8080", error);
  REQUIRE(bare);
  CHECK(bare->to_string() == "127.0.0.1:8080");
  for (const char* bad : {"", "host:", ":80", "[::1]80", "1.2.3.4:65536", "::1:80", "h:-1"}) {
    INFO(bad);
    CHECK_FALSE(parse_listen_address(bad, error));
    CHECK_FALSE(error.empty());
  }
}
