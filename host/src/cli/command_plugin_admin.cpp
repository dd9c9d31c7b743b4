// mcpd plugin list | reload: the running server's plugin state, and a reload
// on demand, through its admin endpoint (GET /admin/plugins, POST
// /admin/plugins/reload). A server that serves only stdio has no endpoint:
// `reload --pid PID` sends it SIGHUP instead.
#include <httplib.h>
#include <signal.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "cli/commands.hpp"
#include "cli/server_setup.hpp"
#include "mcpd/sdk/json_pretty.hpp"
#include "transport/http/admin_endpoint.hpp"
#include "transport/http/http_settings.hpp"
#include "transport/http/listen_address.hpp"

namespace mcpd::cli {
namespace json = boost::json;

namespace {

struct AdminOptions {
  std::optional<std::string> url, config, ca_file, pid;
};

AdminOptions parse_admin_options(const std::vector<std::string>& args, std::string_view command,
                                 bool allow_pid) {
  AdminOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool known = a == "--url" || a == "--config" || a == "--ca-file" || (allow_pid && a == "--pid");
    if (!known)
      throw UsageError("plugin " + std::string(command) + ": unexpected argument \"" + a +
                       "\" (see mcpd --help)");
    if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
    const std::string& value = args[++i];
    if (a == "--url") o.url = value;
    if (a == "--config") o.config = value;
    if (a == "--ca-file") o.ca_file = value;
    if (a == "--pid") o.pid = value;
  }
  return o;
}

struct Target {
  std::string base_url;  // scheme://host:port
  std::string token;
};

// The server's address and admin token from the same configuration `serve`
// reads (file and environment), unless --url says where it is.
Target admin_target(const AdminOptions& o) {
  CommonOptions common;
  if (o.config) common.config_file = *o.config;
  common.log_level = "error";
  config::Config config = effective_config(common, "error");
  transport::http::SettingsSource source;
  if (o.config) {
    source.origin = *o.config;
    source.base_directory = std::filesystem::path(*o.config).parent_path();
  }
  auto settings = transport::http::parse_http_settings(config, config::process_environment(), source);
  Target target;
  target.token = settings.admin_token;
  if (target.token.empty())
    throw UsageError(
        "no admin token: set MCPD_ADMIN_TOKEN (or http.admin_token in --config FILE) to the token "
        "the server was started with");
  if (o.url) {
    target.base_url = *o.url;
    while (!target.base_url.empty() && target.base_url.back() == '/') target.base_url.pop_back();
    return target;
  }
  std::string error;
  auto address = transport::http::parse_listen_address(settings.listen, error);
  if (!address) throw UsageError("http.listen: " + error);
  // A server listening on every interface is reached on loopback.
  if (address->host == "0.0.0.0") address->host = "127.0.0.1";
  if (address->host == "::") address->host = "::1";
  target.base_url = std::string(settings.tls.enabled() ? "https://" : "http://") + address->to_string();
  return target;
}

int print_reply(const httplib::Result& result, const Target& target, std::string_view what) {
  if (!result) {
    std::fprintf(stderr, "mcpd plugin %.*s: cannot reach %s: %s (is `mcpd serve --http` running there?)\n",
                 static_cast<int>(what.size()), what.data(), target.base_url.c_str(),
                 httplib::to_string(result.error()).c_str());
    return 2;
  }
  if (result->status != 200) {
    std::string message = result->body;
    boost::system::error_code ec;
    auto body = json::parse(result->body, ec);
    if (!ec && body.is_object())
      if (const auto* error = body.as_object().if_contains("error"); error && error->is_object())
        if (const auto* m = error->as_object().if_contains("message"); m && m->is_string())
          message = std::string(m->get_string());
    std::fprintf(stderr, "mcpd plugin %.*s: HTTP %d: %s\n", static_cast<int>(what.size()), what.data(),
                 result->status, message.c_str());
    return 2;
  }
  // The admin endpoint answers compact JSON; a person at a terminal reads it laid out. A body that is not
  // JSON (a proxy's page, say) is shown as it came.
  boost::system::error_code ec;
  const auto body = json::parse(result->body, ec);
  if (ec)
    std::fputs(result->body.c_str(), stdout);
  else
    std::printf("%s\n", sdk::to_pretty_json_text(body).c_str());
  return 0;
}

// A deployment script runs `mcpd plugin reload` and checks its status: 1
// when a file was refused (a corrupt, unsigned or clashing deploy), 3 when a
// file is still incomplete (being written, or truncated and not yet past
// plugins.incomplete_file_timeout_ms), 0 when every file serves. Each
// problem is also said on stderr, where a script's log shows it.
int reload_exit_code(const std::string& body) {
  boost::system::error_code ec;
  auto report = json::parse(body, ec);
  if (ec || !report.is_object()) return 2;
  auto entries = [&](std::string_view key) {
    const auto* v = report.as_object().if_contains(key);
    return v != nullptr && v->is_array() ? v->as_array() : json::array{};
  };
  const auto refused = entries("refused"), waiting = entries("waiting");
  for (const auto& r : refused) {
    if (!r.is_object()) continue;
    const auto* file = r.as_object().if_contains("file");
    const auto* reason = r.as_object().if_contains("reason");
    if (file != nullptr && file->is_string() && reason != nullptr && reason->is_string())
      std::fprintf(stderr, "mcpd plugin reload: refused %s: %s\n", file->get_string().c_str(),
                   reason->get_string().c_str());
  }
  for (const auto& w : waiting)
    if (w.is_string())
      std::fprintf(stderr, "mcpd plugin reload: not complete yet, %s (run reload again once it is written)\n",
                   w.get_string().c_str());
  if (!refused.empty()) return 1;
  return waiting.empty() ? 0 : 3;
}

httplib::Client client_for(const Target& target, const AdminOptions& o) {
  httplib::Client client(target.base_url);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(120, 0);  // a reload loads and initialises every changed plugin
  client.set_bearer_token_auth(target.token);
  if (o.ca_file) client.set_ca_cert_path(o.ca_file->c_str());
  return client;
}

}  // namespace

int command_plugin_list(const std::vector<std::string>& args) {
  const auto o = parse_admin_options(args, "list", false);
  const Target target = admin_target(o);
  auto client = client_for(target, o);
  return print_reply(client.Get(transport::http::kAdminPluginsPath), target, "list");
}

int command_plugin_reload(const std::vector<std::string>& args) {
  const auto o = parse_admin_options(args, "reload", true);
  if (o.pid) {
    char* end = nullptr;
    const long pid = std::strtol(o.pid->c_str(), &end, 10);
    if (o.pid->empty() || *end != '\0' || pid <= 0)
      throw UsageError("--pid needs a process id, got \"" + *o.pid + "\"");
    if (::kill(static_cast<pid_t>(pid), SIGHUP) != 0)
      throw UsageError("cannot signal process " + *o.pid + ": " + std::strerror(errno));
    std::fprintf(stderr, "sent SIGHUP to %ld: it rescans its plugins (see its log for what changed)\n", pid);
    return 0;
  }
  const Target target = admin_target(o);
  auto client = client_for(target, o);
  auto result = client.Post(transport::http::kAdminReloadPath);
  const int status = print_reply(result, target, "reload");
  if (status != 0) return status;
  return reload_exit_code(result->body);
}

}  // namespace mcpd::cli
