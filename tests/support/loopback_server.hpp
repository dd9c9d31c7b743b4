// A cpp-httplib server on a free 127.0.0.1 port, answering on a thread of its own: what the fakes of the
// remote services (PostHog, Gemini) and the SDK HTTP client tests stand up. Register the routes on
// routes() first, then start().
#pragma once

#include <httplib.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace mcpd_test {

class loopback_server {
 public:
  loopback_server() = default;
  ~loopback_server() { stop(); }
  loopback_server(const loopback_server&) = delete;
  loopback_server& operator=(const loopback_server&) = delete;

  httplib::Server& routes() { return server_; }

  // Binds a free port and returns once the server accepts connections. Throws std::runtime_error when no
  // port can be bound.
  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("test server: cannot bind a port on 127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  // Stops answering and joins the thread; safe to call twice.
  void stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  // http://127.0.0.1:<port>
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace mcpd_test
