// `mcpd serve --http 127.0.0.1:0` as a child process, with a config file the
// test describes, hello.so and testkit.so (and the notifier test plugin)
// loaded, and the port read from the "mcpd ready transport=http address=..."
// line on stderr. The child is killed when the fixture goes away.
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mcpd_process.hpp"

namespace mcpd_http_test {

using std::chrono::milliseconds;

struct ServerOptions {
  boost::json::object http;              // the config's "http" section
  boost::json::object server;            // the config's "server" section
  std::vector<std::string> environment;  // NAME=value
  std::string listen = "127.0.0.1:0";    // --http
  bool with_stdio = false;               // --stdio as well
  std::vector<std::string> plugins;      // more --plugin files
};

// A directory under the system temp dir, removed with its content.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class McpdHttpServer {
 public:
  explicit McpdHttpServer(ServerOptions options = {});

  int port() const { return port_; }
  std::string host() const { return "127.0.0.1"; }
  const std::string& address() const { return address_; }  // "127.0.0.1:PORT"
  std::string base_url(bool tls = false) const { return (tls ? "https://" : "http://") + address_; }
  mcpd_test::ChildProcess& process() { return *process_; }
  const std::filesystem::path& work_dir() const { return dir_.path(); }

  // SIGTERM, then the exit code (nullopt when it is still running after `timeout`).
  std::optional<int> terminate(milliseconds timeout);

 private:
  TempDir dir_;
  std::unique_ptr<mcpd_test::ChildProcess> process_;
  std::string address_;
  int port_ = 0;
};

}  // namespace mcpd_http_test
