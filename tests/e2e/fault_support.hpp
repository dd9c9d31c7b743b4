// What the fault tests share: a server with the faulty test plugins
// (tests/plugins/faulty: hangs.so, garbage.so) next to testkit.so, and ping
// latency measured the way a well-behaved client sees it.
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

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

// The median round trip of `count` pings, one after another.
inline std::chrono::microseconds median_ping(McpSession& session, int count) {
  std::vector<std::chrono::microseconds> samples;
  samples.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const auto started = std::chrono::steady_clock::now();
    session.expect_ping_answered();
    samples.push_back(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
  }
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

// The median round trip of `count` testkit.echo calls, one after another:
// what a client of another plugin sees of the worker pool.
inline std::chrono::microseconds median_echo(McpSession& session, int count) {
  std::vector<std::chrono::microseconds> samples;
  samples.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const auto started = std::chrono::steady_clock::now();
    session.call_tool_result("testkit.echo", {{"value", i}});
    samples.push_back(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
  }
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

inline milliseconds since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace mcpd_test
