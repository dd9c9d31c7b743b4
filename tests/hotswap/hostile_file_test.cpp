// Files dropped into a watched plugins directory that are not plugins one can
// load: a file that crashes the dynamic loader and a symbolic link loop. The
// host refuses or skips them, says so, and keeps serving what it served.
#include <catch2/catch.hpp>

#include <csignal>

#include "corrupt_elf.hpp"
#include "mcp_session.hpp"
#include "support/plugin_dir.hpp"
#include "support/watched_serve.hpp"

using namespace hotswap_test;
using mcpd_test::McpSession;
using mcpd_test::ServeOptions;
namespace json = boost::json;
using std::chrono::milliseconds;

TEST_CASE("a file that crashes the dynamic loader, dropped into a watched directory, is refused",
          "[watch][hostile]") {
  ScratchDir plugins, scratch, source;
  const auto crashing_source = source / "crashing.so";
  mcpd_test::write_crashing_plugin(swap_plugin("v2"), crashing_source);
  REQUIRE(mcpd_test::signal_of_plain_dlopen(crashing_source) == SIGSEGV);

  deploy(plugins.path(), "swap.so", swap_plugin("v1"));
  McpSession session(watched(plugins, scratch));
  session.initialize();
  REQUIRE(mcpd_test::text_of(session.call_tool_result("swap.which")) == "1.0.0");

  // Dropped in beside the serving plugin, and then over it.
  const auto beside = deploy(plugins.path(), "crashing.so", crashing_source);
  INFO(session.diagnostics());
  REQUIRE(session.process().wait_for_stderr("crashed with SIGSEGV while loading", milliseconds(20000)));
  CHECK_THAT(session.process().stderr_text(), Catch::Contains(beside.string()));
  deploy(plugins.path(), "swap.so", crashing_source);
  REQUIRE(session.process().wait_for_stderr("swap 1.0.0 keeps serving", milliseconds(20000)));
  CHECK_FALSE(await_tools_changed(session, milliseconds(200)));
  CHECK(mcpd_test::text_of(session.call_tool_result("swap.which")) == "1.0.0");
  session.expect_ping_answered();
  CHECK_FALSE(session.process().wait_exit(milliseconds(0)));
}

TEST_CASE("a symbolic link loop in a watched directory is skipped and reloads go on", "[watch][hostile]") {
  ScratchDir plugins, scratch;
  deploy(plugins.path(), "swap.so", swap_plugin("v1"));
  McpSession session(watched(plugins, scratch));
  session.initialize();

  std::filesystem::create_symlink("loop.so", plugins / "loop.so");
  INFO(session.diagnostics());
  REQUIRE(session.process().wait_for_stderr("plugin file skipped", milliseconds(20000)));
  CHECK_THAT(session.process().stderr_text(), Catch::Contains((plugins / "loop.so").string()));
  // A swap still goes through with the loop in place.
  deploy(plugins.path(), "swap.so", swap_plugin("v2"));
  REQUIRE(await_tools_changed(session, milliseconds(20000)));
  CHECK(mcpd_test::text_of(session.call_tool_result("swap.which")) == "2.0.0");
}
