// What the fault tests share: a server with the faulty test plugins
// (tests/plugins/faulty: hangs.so, garbage.so) next to testkit.so, and the
// round trips of a well-behaved client whose latency fault_latency.hpp measures.
#pragma once

#include <chrono>

#include "fault_latency.hpp"
#include "mcp_session.hpp"

namespace mcpd_test {

inline std::string faulty_plugins_dir() {
  return BuildPaths::test_plugins_dir() + "/faulty";
}

// hangs, garbage and testkit; `server` becomes the config's "server" section.
inline ServeOptions faulty_serve_options(json::object server) {
  ServeOptions options;
  options.plugin_dirs = {faulty_plugins_dir()};
  options.plugins = {BuildPaths::testkit_plugin()};
  options.config = json::object{{"server", std::move(server)}};
  return options;
}

// What a well-behaved client does, timed by fault_latency.hpp: a ping, and a call of another plugin's
// tool (testkit.echo: a worker runs its first calls; once they have been quick, the stdio reading thread).
inline auto pinger(McpSession& session) {
  return [&session] { session.expect_ping_answered(); };
}
inline auto echo_caller(McpSession& session) {
  return [&session, i = 0]() mutable { session.call_tool_result("testkit.echo", {{"value", i++}}); };
}

inline milliseconds since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace mcpd_test
