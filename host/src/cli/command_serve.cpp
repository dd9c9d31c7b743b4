#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <optional>
#include <thread>

#include "cli/bounded_shutdown.hpp"
#include "cli/commands.hpp"
#include "cli/server_setup.hpp"
#include "hotswap/reload_triggers.hpp"
#include "log/logger.hpp"
#include "protocol/session.hpp"
#include "transport/http/http_server.hpp"
#include "transport/http/http_settings.hpp"
#include "transport/http/listen_address.hpp"
#include "transport/http/shutdown_signals.hpp"
#include "transport/stdio_reader.hpp"
#include "transport/stdio_writer.hpp"

namespace mcpd::cli {
namespace {

// `--http [HOST:PORT]` or `--http=HOST:PORT`, taken out of the arguments
// before the common options are parsed. The address is optional: without it
// http.listen / MCPD_HTTP_LISTEN (default 127.0.0.1:8080) applies.
struct HttpOption {
  bool present = false;
  std::optional<std::string> address;
};

HttpOption take_http_option(std::vector<std::string>& args) {
  HttpOption http;
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--http") {
      http.present = true;
      if (i + 1 < args.size() && !args[i + 1].starts_with("-")) http.address = args[++i];
    } else if (a.starts_with("--http=")) {
      http.present = true;
      http.address = a.substr(7);
    } else {
      rest.push_back(a);
    }
  }
  args = std::move(rest);
  return http;
}

// Directory watch and SIGHUP: plugins are replaced while serving.
std::unique_ptr<hotswap::ReloadTriggers> start_reload_triggers(const Server& server,
                                                               const config::Config& config) {
  auto triggers =
      std::make_unique<hotswap::ReloadTriggers>(*server.plugins, config.plugin_policy.watch,
                                                std::chrono::milliseconds(config.plugin_policy.debounce_ms));
  triggers->start();
  return triggers;
}

void log_stdio_ready(const protocol::ServerContext& context) {
  log::info("mcpd ready", {{"transport", "stdio"},
                           {"plugins", std::to_string(context.snapshot()->plugins().size())},
                           {"tools", std::to_string(context.snapshot()->tools().size())}});
}

int serve_stdio_only(const config::Config& config) {
  Server server = start_server(config);
  auto& context = *server.context;
  auto triggers = start_reload_triggers(server, config);
  transport::StdioWriter writer(1);
  transport::StdioReader reader(0, config.server.max_message_bytes);
  auto session =
      protocol::Session::create(context, [&writer](std::string message, const protocol::Outgoing&) {
        writer.write_message(std::move(message));
      });
  session->run_quick_calls_with(
      [&reader](const std::function<void()>& call) { return reader.run_quick_call(call); });
  reader.batch_output_with([&writer] { writer.hold(); }, [&writer] { writer.release(); });
  log_stdio_ready(context);
  reader.run([&](std::string_view line) { session->on_message(line); },
             [&](std::size_t limit) { session->on_oversize(limit); });
  const ShutdownBudget budget(std::chrono::milliseconds(config.server.shutdown_timeout_ms));
  log::info("stdin closed; finishing in-flight calls");
  triggers->stop();
  session->close(budget.drain());
  end_waiting_work(context);
  stop_workers_or_exit(context.pool, budget, 0);
  log::info("mcpd stopped");
  return 0;
}

// stdio next to HTTP runs on its own thread. When a signal (not EOF) ends
// the server, a reader thread is blocked in read(0): stdin is swapped for
// /dev/null and that thread is nudged with SIGUSR1 (whose handler does
// nothing), so its next read sees EOF and it returns like on a closed pipe.
extern "C" void wake_reader(int) {}

class StdioBeside {
 public:
  StdioBeside(protocol::ServerContext& context, const config::Config& config,
              transport::http::ShutdownSignals& signals)
      : writer_(1), reader_(0, config.server.max_message_bytes) {
    session_ = protocol::Session::create(context, [this](std::string message, const protocol::Outgoing&) {
      writer_.write_message(std::move(message));
    });
    session_->run_quick_calls_with(
        [this](const std::function<void()>& call) { return reader_.run_quick_call(call); });
    reader_.batch_output_with([this] { writer_.hold(); }, [this] { writer_.release(); });
    struct sigaction action {};
    action.sa_handler = wake_reader;  // no SA_RESTART: read() fails with EINTR
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR1, &action, nullptr);
    thread_ = std::thread([this, &signals] {
      reader_.run([this](std::string_view line) { session_->on_message(line); },
                  [this](std::size_t limit) { session_->on_oversize(limit); });
      if (!stopping_.load()) signals.request_stop("stdin closed");
    });
  }

  void stop(std::chrono::milliseconds deadline) {
    stopping_ = true;
    const int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull >= 0) {
      ::dup2(devnull, 0);
      ::close(devnull);
    }
    reader_.interrupt_read(SIGUSR1);
    thread_.join();
    session_->close(deadline);
  }

 private:
  transport::StdioWriter writer_;
  transport::StdioReader reader_;
  std::shared_ptr<protocol::Session> session_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;  // runs reader_ until stdin ends
};

int serve_with_http(const CommonOptions& options, const HttpOption& http_option, bool with_stdio) {
  // Before any thread exists (worker pool, plugins, httplib), so every
  // thread inherits the blocked SIGTERM/SIGINT.
  transport::http::ShutdownSignals signals;
  config::Config config = effective_config(options);
  transport::http::SettingsSource source;
  if (options.config_file) {
    source.origin = options.config_file->string();
    source.base_directory = options.config_file->parent_path();
  }
  auto settings = transport::http::parse_http_settings(config, config::process_environment(), source);
  const std::string listen = http_option.address.value_or(settings.listen);
  std::string error;
  auto address = transport::http::parse_listen_address(listen, error);
  if (!address) throw UsageError("--http: " + error);

  Server server = start_server(config);
  auto& context = *server.context;
  auto triggers = start_reload_triggers(server, config);
  const bool stateless = settings.stateless;
  const std::string endpoint = settings.endpoint;
  transport::http::HttpServer http(context, std::move(settings), *address);
  http.start();
  std::optional<StdioBeside> stdio;
  if (with_stdio) {
    stdio.emplace(context, config, signals);
    log_stdio_ready(context);
  }
  // Tests and scripts parse "transport=http address=HOST:PORT" from this line.
  log::info("mcpd ready", {{"transport", "http"},
                           {"address", http.address()},
                           {"endpoint", endpoint},
                           {"scheme", http.tls() ? "https" : "http"},
                           {"mode", stateless ? "stateless" : "sessions"},
                           {"plugins", std::to_string(context.snapshot()->plugins().size())},
                           {"tools", std::to_string(context.snapshot()->tools().size())}});

  const std::string reason = signals.wait();
  const ShutdownBudget budget(std::chrono::milliseconds(config.server.shutdown_timeout_ms));
  http.stop_accepting();
  log::info("shutting down: stop accepting, finish in-flight calls", {{"reason", reason}});
  triggers->stop();
  std::thread stdio_closing;
  if (stdio) stdio_closing = std::thread([&] { stdio->stop(budget.drain()); });
  http.shutdown(budget.drain());
  if (stdio_closing.joinable()) stdio_closing.join();
  end_waiting_work(context);
  stop_workers_or_exit(context.pool, budget, 0);
  log::info("mcpd stopped");
  return 0;
}

}  // namespace

int command_serve(const std::vector<std::string>& args) {
  std::vector<std::string> rest = args;
  const HttpOption http = take_http_option(rest);
  auto options = parse_common_options(rest, {"--stdio"});
  if (!options.positional.empty())
    throw UsageError("serve takes no arguments, got \"" + options.positional[0] + "\"");
  // A client that goes away must not kill us with SIGPIPE mid-write, nor a file size limit (ulimit -f)
  // with SIGXFSZ: a write past it fails with EFBIG, which the writer reports like a full disk.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
  // Before any thread exists, so every thread inherits the blocked SIGHUP and
  // only the reload triggers' signalfd takes it.
  hotswap::ReloadTriggers::block_reload_signal();

  if (!http.present) return serve_stdio_only(effective_config(options));
  const bool with_stdio =
      std::find(options.flags.begin(), options.flags.end(), "--stdio") != options.flags.end();
  return serve_with_http(options, http, with_stdio);
}

}  // namespace mcpd::cli
