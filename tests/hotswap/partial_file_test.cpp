// A plugin file that is only partly written never loads: neither one left
// truncated (a copy that stopped half way) nor one still being written. The
// complete file, renamed into place, does.
#include <catch2/catch.hpp>

#include <cstdio>

#include "mcp_session.hpp"
#include "support/plugin_dir.hpp"
#include "support/watched_serve.hpp"

using namespace hotswap_test;
using mcpd_test::McpSession;
using mcpd_test::ServeOptions;
namespace json = boost::json;
using std::chrono::milliseconds;

namespace {

std::size_t tool_count(McpSession& session) {
  return session.request_result("tools/list").at("tools").as_array().size();
}

}  // namespace

TEST_CASE("a truncated plugin file is not loaded - the completed file renamed over it is",
          "[watch][partial]") {
  ScratchDir plugins, scratch;
  McpSession session(watched(plugins, scratch));
  session.initialize();
  REQUIRE(tool_count(session) == 0);

  const std::string whole = read_bytes(swap_plugin("v1"));
  {
    // An interrupted, non-atomic copy: half of the bytes, then the file is closed.
    std::FILE* out = std::fopen((plugins / "swap.so").c_str(), "wb");
    REQUIRE(out != nullptr);
    std::fwrite(whole.data(), 1, whole.size() / 2, out);
    std::fclose(out);
  }
  INFO(session.diagnostics());
  REQUIRE(session.process().wait_for_stderr("plugin file not complete yet", milliseconds(10000)));
  CHECK_THAT(session.process().stderr_text(), Catch::Contains("truncated"));
  CHECK_FALSE(await_tools_changed(session, milliseconds(300)));
  CHECK(tool_count(session) == 0);

  // The deployment the docs describe: write a temporary name, rename it in.
  deploy_bytes(plugins.path(), "swap.so", whole);
  REQUIRE(await_tools_changed(session, milliseconds(10000)));
  CHECK(tool_count(session) == 2);
  CHECK(mcpd_test::text_of(session.call_tool_result("swap.which")) == "1.0.0");
}

TEST_CASE("a plugin file still open for writing is held back until it is closed", "[watch][partial]") {
  ScratchDir plugins, scratch;
  McpSession session(watched(plugins, scratch));
  session.initialize();

  const std::string whole = read_bytes(swap_plugin("v1"));
  std::FILE* out = std::fopen((plugins / "swap.so").c_str(), "wb");
  REQUIRE(out != nullptr);
  std::fwrite(whole.data(), 1, whole.size() / 2, out);
  std::fflush(out);
  INFO(session.diagnostics());
  // Several debounce periods pass while the writer keeps the file open.
  CHECK_FALSE(await_tools_changed(session, milliseconds(500)));
  CHECK(tool_count(session) == 0);

  std::fwrite(whole.data() + whole.size() / 2, 1, whole.size() - whole.size() / 2, out);
  std::fclose(out);
  REQUIRE(await_tools_changed(session, milliseconds(10000)));
  CHECK(mcpd_test::text_of(session.call_tool_result("swap.which")) == "1.0.0");
}
