#pragma once
// The "http" section of the configuration: everything the Streamable HTTP
// transport needs, read from Config::raw plus the MCPD_HTTP_* environment
// variables. Parsing is strict (wrong types, out-of-range numbers and unknown
// keys are errors) because most of these keys guard the door: a misspelt
// "allowed_origins" must not silently fall back to a default.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "config/config.hpp"

namespace mcpd::transport::http {

struct TlsSettings {
  std::filesystem::path cert_file;  // PEM certificate chain
  std::filesystem::path key_file;   // PEM private key
  bool enabled() const { return !cert_file.empty(); }
};

struct AuthSettings {
  std::vector<std::string> bearer_tokens;  // secrets: never logged or echoed
  std::vector<std::string> authorization_servers;
  bool enabled() const { return !bearer_tokens.empty(); }
};

struct HttpSettings {
  std::string listen = "127.0.0.1:8080";
  // SO_REUSEPORT on the listening socket: a second process may bind the same
  // port (a zero-downtime restart). Off: a taken port is an error.
  bool reuse_port = false;
  std::string endpoint = "/mcp";
  bool stateless = false;
  // Put in front of every Mcp-Session-Id this instance issues (letters,
  // digits, '-', '_'; at most 32): behind a load balancer, the instance's tag
  // that routes a legacy session back to it (docs/scaling.md).
  std::string session_id_prefix;
  unsigned threads = 256;  // HTTP worker threads; every open SSE stream holds one
  std::chrono::milliseconds session_idle_timeout{30 * 60 * 1000};
  std::size_t max_sessions = 1000;
  // Sessions one client address may hold; at the limit its least recently
  // used idle session makes room (see SessionTable).
  std::size_t max_sessions_per_client = 100;
  std::size_t max_calls_per_session = 32;
  std::size_t max_body_bytes = 16u << 20;  // defaults to server.max_message_bytes
  std::size_t max_header_bytes = 16384;
  // From the first byte of a body to its last; a body still arriving then
  // gets 408 (a never-ending chunked upload would otherwise hold a thread).
  std::chrono::milliseconds body_timeout{60000};
  // From the first byte of a request to the end of its headers; with TLS,
  // the handshake must end within it too.
  std::chrono::milliseconds header_timeout{10000};
  // Open connections one client address may hold, so that one client cannot
  // take every HTTP thread.
  std::size_t max_connections_per_client = 128;
  std::vector<std::string> allowed_hosts{"localhost", "127.0.0.1", "[::1]"};
  std::vector<std::string> allowed_origins{"http://localhost",  "http://127.0.0.1",  "http://[::1]",
                                           "https://localhost", "https://127.0.0.1", "https://[::1]"};
  std::chrono::milliseconds sse_keepalive{15000};
  std::chrono::milliseconds sse_retry{1000};
  std::chrono::milliseconds sse_close_after{0};  // 0: POST streams stay open until the response
  std::size_t sse_replay_events = 512;           // per stream
  std::string public_url;   // e.g. "https://mcp.example.com"; empty: from the Host header
  std::string admin_token;  // secret; the admin endpoint (/admin/plugins...) answers 404 while empty
  AuthSettings auth;
  TlsSettings tls;
};

// Keys of the "http" section, for messages and documentation.
inline constexpr std::string_view kHttpKeys[] = {"listen",
                                                 "reuse_port",
                                                 "endpoint",
                                                 "stateless",
                                                 "session_id_prefix",
                                                 "threads",
                                                 "session_idle_timeout_ms",
                                                 "max_sessions",
                                                 "max_sessions_per_client",
                                                 "max_calls_per_session",
                                                 "max_body_bytes",
                                                 "max_header_bytes",
                                                 "body_timeout_ms",
                                                 "header_timeout_ms",
                                                 "max_connections_per_client",
                                                 "allowed_hosts",
                                                 "allowed_origins",
                                                 "sse_keepalive_ms",
                                                 "sse_retry_ms",
                                                 "sse_close_after_ms",
                                                 "sse_replay_events",
                                                 "public_url",
                                                 "admin_token",
                                                 "auth",
                                                 "tls"};
inline constexpr std::string_view kHttpAuthKeys[] = {"bearer_tokens", "authorization_servers"};
inline constexpr std::string_view kHttpTlsKeys[] = {"cert_file", "key_file"};

// Where the section came from, for messages and relative paths.
struct SettingsSource {
  std::string origin = "<no config file>";              // the config file's name
  std::optional<std::filesystem::path> base_directory;  // relative TLS paths are resolved against it
};

// Reads config.raw["http"] (absent: defaults) and applies MCPD_HTTP_LISTEN,
// MCPD_HTTP_BEARER_TOKENS (comma-separated), MCPD_HTTP_STATELESS and
// MCPD_HTTP_REUSE_PORT (true/false/1/0/yes/no) and MCPD_ADMIN_TOKEN, which win over the file. max_body_bytes
// defaults to config.server.max_message_bytes. Throws config::ConfigError naming the file or the variable;
// token values never appear in a message.
HttpSettings parse_http_settings(const config::Config& config, const config::Environment& env,
                                 const SettingsSource& source = {});

}  // namespace mcpd::transport::http
