// `mcpd serve --http` with plugins swapped under it: list_changed reaches the
// session's GET stream, and operators see and drive reloads through the admin
// endpoint (its own token), `mcpd plugin list|reload` and /metrics.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <thread>

#include "mcp_http_client.hpp"
#include "mcpd_process.hpp"
#include "support/plugin_dir.hpp"

using namespace hotswap_test;
using mcpd_http_test::McpHttpClient;
using mcpd_http_test::SseListener;
namespace json = boost::json;
using std::chrono::milliseconds;

namespace {

constexpr const char* kAdminToken = "admin-token-for-hotswap-tests";
constexpr const char* kClientToken = "mcp-client-token-for-hotswap-tests";

// `mcpd serve --http 127.0.0.1:0` over one watched plugins directory.
class HttpServer {
 public:
  // `plugin_settings` are added to the "plugins" section.
  explicit HttpServer(const ScratchDir& plugins, bool with_admin = true, bool watch = true,
                      const json::object& plugin_settings = {}) {
    json::object http{{"auth", {{"bearer_tokens", json::array{kClientToken}}}}, {"sse_keepalive_ms", 200}};
    if (with_admin) http["admin_token"] = kAdminToken;
    json::object plugins_section{
        {"watch", watch}, {"debounce_ms", 20}, {"staging_dir", (scratch_ / "staging").string()}};
    for (const auto& [key, value] : plugin_settings) plugins_section[key] = value;
    json::object config{{"http", std::move(http)}, {"plugins", std::move(plugins_section)}};
    const auto config_file = scratch_ / "mcpd.json";
    std::ofstream(config_file) << json::serialize(config);
    process_ = std::make_unique<mcpd_test::ChildProcess>(
        std::vector<std::string>{mcpd_executable().string(), "serve", "--http", "127.0.0.1:0", "--config",
                                 config_file.string(), "--plugins-dir", plugins.path().string()});
    address_ = mcpd_test::await_http_address(*process_);
  }
  std::string base_url() const { return "http://" + address_; }
  mcpd_test::ChildProcess& process() { return *process_; }

 private:
  ScratchDir scratch_;
  std::unique_ptr<mcpd_test::ChildProcess> process_;
  std::string address_;
};

httplib::Result admin_get(const HttpServer& server, const std::string& path, const std::string& token) {
  httplib::Client client(server.base_url());
  client.set_read_timeout(30, 0);
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  return client.Get(path.c_str(), headers);
}

mcpd_test::ProcessOutcome mcpd_cli(const HttpServer& server, const std::string& command) {
  return mcpd_test::run_to_completion(
      {mcpd_executable().string(), "plugin", command, "--url", server.base_url()}, milliseconds(30000),
      {std::string("MCPD_ADMIN_TOKEN=") + kAdminToken});
}

bool is_list_changed(const mcpd_http_test::SseEvent& event) {
  auto message = mcpd_http_test::event_message(event);
  return message.contains("method") && message.at("method").as_string() == "notifications/tools/list_changed";
}

}  // namespace

TEST_CASE("http: a swap sends list_changed on the session's GET stream", "[http][notifications]") {
  ScratchDir plugins;
  deploy(plugins.path(), "swap.so", swap_plugin("v1"));
  HttpServer server(plugins);
  McpHttpClient client(server.base_url());
  client.add_header("Authorization", std::string("Bearer ") + kClientToken);
  client.initialize();
  auto headers = client.session_headers();
  headers.emplace("Authorization", std::string("Bearer ") + kClientToken);
  SseListener stream(server.base_url(), client.endpoint(), headers);
  INFO(server.process().stderr_text());
  REQUIRE(stream.wait_status(milliseconds(10000)) == 200);

  deploy(plugins.path(), "swap.so", swap_plugin("v2"));
  REQUIRE(stream.wait_for(is_list_changed, milliseconds(10000)));
  auto result = client.call_tool("swap.which", {});
  REQUIRE(result.contains("result"));
  CHECK(result.at("result").at("content").at(0).at("text").as_string() == "2.0.0");

  // Only one, and none for a rescan that changes nothing.
  auto reload = mcpd_cli(server, "reload");
  CHECK(reload.exit_code == 0);
  std::this_thread::sleep_for(milliseconds(300));
  std::size_t announced = 0;
  for (const auto& e : stream.events()) announced += is_list_changed(e) ? 1 : 0;
  CHECK(announced == 1);
}

TEST_CASE("http: the admin endpoint has its own token and shows plugin state, refusals and metrics",
          "[http][admin]") {
  ScratchDir plugins;
  const auto file = deploy(plugins.path(), "swap.so", swap_plugin("v1"));
  HttpServer server(plugins, true, false);  // reloads only when asked: the reports below are exact
  INFO(server.process().stderr_text());

  CHECK(admin_get(server, "/admin/plugins", "")->status == 401);
  CHECK(admin_get(server, "/admin/plugins", kClientToken)->status == 401);  // an MCP token is not enough
  auto state = admin_get(server, "/admin/plugins", kAdminToken);
  REQUIRE(state->status == 200);
  auto doc = json::parse(state->body).as_object();
  REQUIRE(doc.at("plugins").as_array().size() == 1);
  const auto& plugin = doc.at("plugins").at(0).as_object();
  CHECK(plugin.at("namespace").as_string() == "swap");
  CHECK(plugin.at("version").as_string() == "1.0.0");
  CHECK(plugin.at("file").as_string() == file.string());
  CHECK(plugin.contains("loaded_at"));
  CHECK(plugin.at("calls_in_flight").as_int64() == 0);
  CHECK(doc.at("hot_swap").as_bool());

  // `mcpd plugin list` prints the same state.
  auto listed = mcpd_cli(server, "list");
  INFO(listed.stderr_text);
  REQUIRE(listed.exit_code == 0);
  CHECK(json::parse(listed.stdout_text).at("plugins").at(0).at("version").as_string() == "1.0.0");
  CHECK(listed.stdout_text.starts_with("{\n  \""));  // laid out for a person

  // A broken version: `mcpd plugin reload` reports the refusal (exit 1), the old one serves on.
  deploy(plugins.path(), "swap.so", swap_plugin("init_fails"));
  auto reloaded = mcpd_cli(server, "reload");
  INFO(reloaded.stdout_text << reloaded.stderr_text);
  CHECK(reloaded.exit_code == 1);
  auto report = json::parse(reloaded.stdout_text).as_object();
  REQUIRE(report.at("refused").as_array().size() == 1);
  CHECK_THAT(std::string(report.at("refused").at(0).at("reason").as_string()),
             Catch::Contains("init fails on purpose"));
  CHECK(report.at("refused").at(0).at("kept").as_string() == "swap 1.0.0 keeps serving");
  doc = json::parse(admin_get(server, "/admin/plugins", kAdminToken)->body).as_object();
  CHECK(doc.at("plugins").at(0).at("version").as_string() == "1.0.0");
  CHECK(doc.at("refused").as_array().size() == 1);

  // /metrics (MCP token) carries the plugin state too.
  auto metrics = admin_get(server, "/metrics", kClientToken);
  REQUIRE(metrics->status == 200);
  CHECK_THAT(metrics->body, Catch::Contains("mcpd_plugin_refused{file=\"" + file.string() + "\"} 1"));
  CHECK_THAT(metrics->body,
             Catch::Contains(
                 "mcpd_plugin_calls_in_flight{namespace=\"swap\",version=\"1.0.0\",state=\"serving\"} 0"));
  CHECK_THAT(metrics->body, Catch::Contains("mcpd_plugin_loaded_timestamp_seconds{namespace=\"swap\""));
  CHECK_THAT(metrics->body, Catch::Contains("mcpd_plugin_retired_resident 0"));
  CHECK_THAT(metrics->body,
             Catch::Contains("mcpd_plugin_reloads_total{trigger=\"admin\",outcome=\"unchanged\"} 1"));

  // The fixed version goes in through the admin call as well.
  deploy(plugins.path(), "swap.so", swap_plugin("v2"));
  reloaded = mcpd_cli(server, "reload");
  CHECK(reloaded.exit_code == 0);
  CHECK_THAT(reloaded.stdout_text, Catch::Contains("swap 1.0.0 -> 2.0.0"));
}

TEST_CASE("http: without an admin token the admin endpoint is off", "[http][admin]") {
  ScratchDir plugins;
  HttpServer server(plugins, false);
  auto reply = admin_get(server, "/admin/plugins", kAdminToken);
  REQUIRE(reply);
  CHECK(reply->status == 404);
  CHECK_THAT(reply->body, Catch::Contains("http.admin_token"));
  auto cli = mcpd_test::run_to_completion(
      {mcpd_executable().string(), "plugin", "list", "--url", server.base_url()}, milliseconds(30000));
  CHECK(cli.exit_code == 2);
  CHECK_THAT(cli.stderr_text, Catch::Contains("MCPD_ADMIN_TOKEN"));
}

TEST_CASE("http: a truncated plugin file is refused after the deadline and plugin reload exits 1",
          "[http][admin][partial]") {
  ScratchDir plugins;
  deploy(plugins.path(), "swap.so", swap_plugin("v1"));
  HttpServer server(plugins, true, true, {{"incomplete_file_timeout_ms", 3000}});
  INFO(server.process().stderr_text());

  // A copy that stopped half way: closed, and never completed.
  const std::string whole = read_bytes(swap_plugin("v2"));
  const auto truncated = plugins / "weather.so";
  {
    std::FILE* out = std::fopen(truncated.c_str(), "wb");
    REQUIRE(out != nullptr);
    std::fwrite(whole.data(), 1, whole.size() / 2, out);
    std::fclose(out);
  }
  // Before the deadline it is waiting: reload says so with its own exit code.
  REQUIRE(server.process().wait_for_stderr("plugin file not complete yet", milliseconds(10000)));
  auto reloaded = mcpd_cli(server, "reload");
  INFO(reloaded.stdout_text << reloaded.stderr_text);
  CHECK(reloaded.exit_code == 3);
  CHECK_THAT(reloaded.stderr_text,
             Catch::Contains("not complete yet") && Catch::Contains(truncated.string()));

  // After it, with no further file event, it is refused with the reason.
  REQUIRE(server.process().wait_for_stderr("incomplete_file_timeout_ms", milliseconds(10000)));
  reloaded = mcpd_cli(server, "reload");
  INFO(reloaded.stdout_text << reloaded.stderr_text);
  CHECK(reloaded.exit_code == 1);
  const auto report = json::parse(reloaded.stdout_text).as_object();
  REQUIRE(report.at("refused").as_array().size() == 1);
  const auto& refused = report.at("refused").at(0).as_object();
  CHECK(refused.at("file").as_string() == truncated.string());
  CHECK_THAT(std::string(refused.at("reason").as_string()),
             Catch::Contains("truncated") && Catch::Contains("rename it in"));
  CHECK(report.at("waiting").as_array().empty());
  CHECK_THAT(reloaded.stderr_text, Catch::Contains("refused " + truncated.string()));

  // The plugin that was serving still serves.
  const auto state = json::parse(admin_get(server, "/admin/plugins", kAdminToken)->body).as_object();
  REQUIRE(state.at("plugins").as_array().size() == 1);
  CHECK(state.at("plugins").at(0).at("version").as_string() == "1.0.0");
}
