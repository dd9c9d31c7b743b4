// mcpd: a plugin-based MCP host. This file only routes to a subcommand.
#include <cstdio>
#include <string>
#include <vector>

#include "build_info.hpp"
#include "cli/commands.hpp"
#include "cli/server_setup.hpp"
#include "config/config.hpp"
#include "log/logger.hpp"

namespace {

constexpr const char* kHelp = R"(mcpd - a plugin-based MCP (Model Context Protocol) host

Usage:
  mcpd serve [--stdio] [--config FILE] [--plugins-dir DIR]... [--plugin FILE.so]... [--log-level LEVEL]
      Serve MCP over stdio (the default transport). stdout carries only protocol
      messages; logs go to stderr.
  mcpd call [--config FILE] [--plugins-dir DIR]... [--plugin FILE.so]... NAMESPACE.TOOL ['JSON']
      Load the plugins as `serve` does, run one tool call, print the CallToolResult
      as JSON. Exit code 0 on success, 1 when the result is an error, 2 when the
      call could not be made.
  mcpd plugin inspect FILE.so [--config FILE]
      Load one plugin and print its ABI version, namespace, version and everything
      it registers, with its schemas, as JSON. Exit code 1 when it is not usable.
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
    std::printf("mcpd %s (plugin ABI %d.%d)\n", mcpd::kVersion, 1, 0);
    return 0;
  }
  std::string command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (command == "serve") return mcpd::cli::command_serve(rest);
    if (command == "call") return mcpd::cli::command_call(rest);
    if (command == "plugin" && !rest.empty() && rest[0] == "inspect")
      return mcpd::cli::command_inspect(std::vector<std::string>(rest.begin() + 1, rest.end()));
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
