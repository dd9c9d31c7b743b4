#include <csignal>

#include "cli/commands.hpp"
#include "cli/server_setup.hpp"
#include "log/logger.hpp"
#include "protocol/session.hpp"
#include "transport/stdio_transport.hpp"

namespace mcpd::cli {

int command_serve(const std::vector<std::string>& args) {
  auto options = parse_common_options(args, {"--stdio"});
  if (!options.positional.empty())
    throw UsageError("serve takes no arguments, got \"" + options.positional[0] + "\"");
  // A client that goes away must not kill us with SIGPIPE mid-write.
  std::signal(SIGPIPE, SIG_IGN);

  config::Config config = effective_config(options);
  Server server = start_server(config);
  auto& context = *server.context;

  transport::StdioTransport stdio(0, 1, config.server.max_message_bytes);
  auto session = protocol::Session::create(
      context, [&stdio](std::string message, const std::string&) { stdio.write_message(message); });
  log::info("mcpd ready", {{"transport", "stdio"},
                           {"plugins", std::to_string(context.snapshot()->plugins().size())},
                           {"tools", std::to_string(context.snapshot()->tools().size())}});
  stdio.run([&](std::string_view line) { session->on_message(line); },
            [&](std::size_t limit) { session->on_oversize(limit); });
  log::info("stdin closed; finishing in-flight calls");
  session->close(std::chrono::milliseconds(config.server.shutdown_timeout_ms));
  context.pool.shutdown();
  log::info("mcpd stopped");
  return 0;
}

}  // namespace mcpd::cli
