// mcpd: a plugin-based MCP host. This file only routes to a subcommand.
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include <mcpd/plugin_api.h>

#include "build_info.hpp"
#include "cli/commands.hpp"
#include "cli/server_setup.hpp"
#include "config/config.hpp"
#include "loader/load_probe.hpp"
#include "log/logger.hpp"
#include "util/allocator_tuning.hpp"

namespace {

constexpr const char* kHelp = R"(mcpd - a plugin-based MCP (Model Context Protocol) host

Usage:
  mcpd serve [--stdio] [--http [HOST:PORT]] [--config FILE] [--plugins-dir DIR]... [--plugin FILE.so]...
             [--log-level LEVEL]
      Serve MCP over stdio (the default transport) and/or Streamable HTTP on one
      endpoint (http.endpoint, default /mcp). --http alone listens on http.listen (default 127.0.0.1:8080;
      port 0 picks a free one, logged as "transport=http address=..."); give both
      --stdio and --http to serve both. On stdio, stdout carries only protocol
      messages; logs always go to stderr. Plugins are reloaded on SIGHUP and, by
      default, when a file in a plugins directory changes.
  mcpd call [--config FILE] [--plugins-dir DIR]... [--plugin FILE.so]... NAMESPACE.TOOL ['JSON' | - | @FILE]
      Load the plugins as `serve` does, run one tool call, print the CallToolResult
      as JSON. The arguments object is given inline, read from stdin (-) or from a
      file (@FILE). Exit code 0 on success, 1 when the result is an error, 2 when
      the call could not be made.
  mcpd plugin inspect FILE.so [--config FILE]
      Load one plugin and print its ABI version, namespace, version and everything
      it registers, with its schemas, as JSON. Exit code 1 when it is not usable.
  mcpd plugin keygen [--out PREFIX]
      Create an Ed25519 signing key: PREFIX.pem (private, mode 0600) and PREFIX.pub
      (the public key, for plugins.trusted_keys). PREFIX defaults to mcpd-plugin-key.
  mcpd plugin sign FILE.so --key KEY.pem [--out FILE.so.sig]
      Write a detached signature over the file's SHA-256, namespace and version.
  mcpd plugin verify FILE.so [--sig FILE.so.sig] [--trusted-key KEY]... [--config FILE]
      Check a signature as serve would (trusted keys from the options or the config).
      Exit code 0 when valid, 1 when not.
  mcpd plugin list [--config FILE] [--url URL] [--ca-file PEM]
      Ask a running `serve --http` (admin endpoint, token in MCPD_ADMIN_TOKEN or
      http.admin_token) for its plugin versions, refusals and retired versions.
  mcpd plugin reload [--config FILE] [--url URL] [--ca-file PEM] | --pid PID
      Make a running server rescan its plugin files now and print what changed
      (exit code 1 when a file was refused, 3 when one is still incomplete).
      --pid sends SIGHUP instead (stdio).
  mcpd --version
  mcpd --help

Options:
  --config FILE        JSON configuration (see docs/configuration.md)
  --plugins-dir DIR    load every *.so in DIR (repeatable; replaces configured directories)
  --plugin FILE.so     load this plugin too (repeatable)
  --log-level LEVEL    debug, info, notice, warning, error, critical, alert, emergency
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kHelp, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version" || args[0] == "-V") {
    std::printf("mcpd %s (plugin ABI 1.0 to %u.%u)\n", mcpd::kVersion,
                MCPD_ABI_VERSION_MAJOR(MCPD_ABI_VERSION), MCPD_ABI_VERSION_MINOR(MCPD_ABI_VERSION));
    return 0;
  }
  // New plugin files are test-loaded by this same executable in a child
  // process first (`plugin probe`); /proc/self/exe still runs after an upgrade
  // replaced the file on disk.
  mcpd::loader::set_probe_executable("/proc/self/exe");
  // Probes are waited for with waitpid(): a SIGCHLD ignored by whoever started
  // mcpd (inherited across exec) would reap them first and hide their fate.
  ::signal(SIGCHLD, SIG_DFL);
  // Before the first large allocation: megabyte messages and answers are every command's common case.
  mcpd::tune_allocator_for_large_messages();
  std::string command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (command == "serve") return mcpd::cli::command_serve(rest);
    if (command == "call") return mcpd::cli::command_call(rest);
    if (command == "plugin" && !rest.empty()) {
      const std::vector<std::string> sub(rest.begin() + 1, rest.end());
      if (rest[0] == "inspect") return mcpd::cli::command_inspect(sub);
      if (rest[0] == "keygen") return mcpd::cli::command_plugin_keygen(sub);
      if (rest[0] == "sign") return mcpd::cli::command_plugin_sign(sub);
      if (rest[0] == "verify") return mcpd::cli::command_plugin_verify(sub);
      if (rest[0] == "list") return mcpd::cli::command_plugin_list(sub);
      if (rest[0] == "reload") return mcpd::cli::command_plugin_reload(sub);
      if (rest[0] == "probe") return mcpd::cli::command_plugin_probe(sub);
    }
    throw mcpd::cli::UsageError("unknown command \"" + command +
                                (command == "plugin" ? " " + (rest.empty() ? std::string() : rest[0]) : "") +
                                "\"");
  } catch (const mcpd::cli::UsageError& e) {
    std::fprintf(stderr, "mcpd: %s\nRun `mcpd --help` for usage.\n", e.what());
    return 2;
  } catch (const mcpd::config::ConfigError& e) {
    mcpd::log::error(std::string("configuration error: ") + e.what());
    return 2;
  } catch (const std::exception& e) {
    mcpd::log::error(std::string("fatal: ") + e.what());
    return 2;
  }
}
