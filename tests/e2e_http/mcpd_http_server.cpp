#include "mcpd_http_server.hpp"

#include <signal.h>
#include <stdlib.h>

#include <fstream>
#include <stdexcept>

namespace mcpd_http_test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "mcpd-http-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

McpdHttpServer::McpdHttpServer(ServerOptions options) {
  boost::json::object config;
  // Short keep-alives make every stream read in the tests wake up often.
  if (!options.http.contains("sse_keepalive_ms")) options.http["sse_keepalive_ms"] = 200;
  config["http"] = std::move(options.http);
  if (!options.server.empty()) config["server"] = std::move(options.server);
  const auto config_file = dir_.path() / "mcpd.json";
  std::ofstream(config_file) << boost::json::serialize(config);

  std::vector<std::string> argv = {MCPD_HTTP_TEST_MCPD_EXE,
                                   "serve",
                                   "--http",
                                   options.listen,
                                   "--config",
                                   config_file.string(),
                                   "--plugins-dir",
                                   MCPD_HTTP_TEST_SHIPPED_PLUGINS_DIR,
                                   "--plugin",
                                   MCPD_HTTP_TEST_HELLO_PLUGIN,
                                   "--plugin",
                                   MCPD_HTTP_TEST_TESTKIT_PLUGIN,
                                   "--plugin",
                                   MCPD_HTTP_TEST_NOTIFIER_PLUGIN};
  for (const auto& plugin : options.plugins) argv.insert(argv.end(), {"--plugin", plugin});
  if (options.with_stdio) argv.push_back("--stdio");
  process_ = std::make_unique<mcpd_test::ChildProcess>(argv, options.environment);

  address_ = mcpd_test::await_http_address(*process_);
  port_ = std::stoi(address_.substr(address_.rfind(':') + 1));
}

std::optional<int> McpdHttpServer::terminate(milliseconds timeout) {
  ::kill(process_->pid(), SIGTERM);
  return process_->wait_exit(timeout);
}

}  // namespace mcpd_http_test
