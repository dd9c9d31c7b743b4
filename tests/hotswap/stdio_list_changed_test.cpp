// `mcpd serve --stdio` with a watched plugins directory: a file renamed into
// place is swapped in, and the client hears notifications/tools/list_changed
// (and prompts/list_changed) once, on stdout; nothing when nothing changed.
// SIGHUP rescans; a broken replacement is refused and the old version stays.
#include <catch2/catch.hpp>

#include <signal.h>

#include "mcp_session.hpp"
#include "support/plugin_dir.hpp"

using namespace hotswap_test;
using mcpd_test::McpSession;
using mcpd_test::ServeOptions;
namespace json = boost::json;
using std::chrono::milliseconds;

namespace {

ServeOptions swap_options(const ScratchDir& plugins, const ScratchDir& scratch, bool watch = true) {
  ServeOptions options;
  options.plugin_dirs = {plugins.path().string()};
  options.config = json::object{
      {"plugins", {{"watch", watch}, {"debounce_ms", 20}, {"staging_dir", (scratch / "staging").string()}}}};
  return options;
}

bool is_notification(const json::value& message, std::string_view method) {
  const auto* object = message.if_object();
  return object != nullptr && !object->contains("id") && object->contains("method") &&
         object->at("method").as_string() == method;
}

std::optional<json::value> await_notification(McpSession& session, std::string_view method,
                                              milliseconds timeout = milliseconds(10000)) {
  return session.await_message([&](const json::value& m) { return is_notification(m, method); }, timeout);
}

std::string which(McpSession& session) {
  return mcpd_test::text_of(session.call_tool_result("swap.which"));
}

}  // namespace

TEST_CASE("stdio: a watched swap is announced once with list_changed - no change, no notification",
          "[stdio][watch][notifications]") {
  ScratchDir plugins, scratch;
  deploy(plugins.path(), "swap.so", swap_plugin("v1"));
  McpSession session(swap_options(plugins, scratch));
  session.initialize();
  REQUIRE(which(session) == "1.0.0");

  deploy(plugins.path(), "swap.so", swap_plugin("v2"));
  INFO(session.diagnostics());
  REQUIRE(await_notification(session, "notifications/tools/list_changed"));
  REQUIRE(await_notification(session, "notifications/prompts/list_changed"));
  CHECK(which(session) == "2.0.0");
  CHECK(mcpd_test::names_of(session.request_result("prompts/list").at("prompts").as_array()) ==
        std::vector<std::string>{"swap_release_notes"});
  CHECK(session.process().wait_for_stderr("trigger=watch", milliseconds(2000)));

  // Once per change: nothing more arrives, and no resources/list_changed (resources did not change).
  session.collect_for(milliseconds(400));
  CHECK(session.notifications("notifications/tools/list_changed").empty());
  CHECK(session.notifications("notifications/prompts/list_changed").empty());
  CHECK(session.notifications("notifications/resources/list_changed").empty());

  // The same bytes renamed in again, a touch, and a SIGHUP rescan change nothing.
  deploy(plugins.path(), "swap.so", swap_plugin("v2"));
  std::filesystem::last_write_time(plugins / "swap.so", std::filesystem::file_time_type::clock::now());
  REQUIRE(::kill(session.process().pid(), SIGHUP) == 0);
  REQUIRE(session.process().wait_for_stderr("SIGHUP: reloading every plugin", milliseconds(5000)));
  session.collect_for(milliseconds(600));
  CHECK(session.notifications("notifications/tools/list_changed").empty());
  CHECK(session.notifications("notifications/prompts/list_changed").empty());
  CHECK(which(session) == "2.0.0");
}

TEST_CASE("stdio: with watching off, SIGHUP picks up the new file", "[stdio][sighup]") {
  ScratchDir plugins, scratch;
  deploy(plugins.path(), "swap.so", swap_plugin("v1"));
  McpSession session(swap_options(plugins, scratch, false));
  session.initialize();
  deploy(plugins.path(), "swap.so", swap_plugin("v2"));
  session.collect_for(milliseconds(300));
  CHECK(session.notifications("notifications/tools/list_changed").empty());
  CHECK(which(session) == "1.0.0");

  REQUIRE(::kill(session.process().pid(), SIGHUP) == 0);
  INFO(session.diagnostics());
  REQUIRE(await_notification(session, "notifications/tools/list_changed"));
  CHECK(which(session) == "2.0.0");
  CHECK(session.process().wait_for_stderr("trigger=signal", milliseconds(2000)));
}

TEST_CASE("stdio: a broken replacement is refused, said on stderr, and the old version keeps answering",
          "[stdio][failure]") {
  ScratchDir plugins, scratch;
  const auto file = deploy(plugins.path(), "swap.so", swap_plugin("v1"));
  McpSession session(swap_options(plugins, scratch));
  session.initialize();
  deploy(plugins.path(), "swap.so", swap_plugin("init_fails"));
  INFO(session.diagnostics());
  REQUIRE(session.process().wait_for_stderr("kept=\"swap 1.0.0 keeps serving\"", milliseconds(10000)));
  const auto log = session.process().stderr_text();
  CHECK_THAT(log, Catch::Contains("msg=\"plugin refused\" file=" + file.string()));
  CHECK_THAT(log, Catch::Contains("init fails on purpose"));
  CHECK(which(session) == "1.0.0");
  session.collect_for(milliseconds(200));
  CHECK(session.notifications("notifications/tools/list_changed").empty());

  // Removing the file takes the namespace away, announced like any change.
  std::filesystem::remove(file);
  REQUIRE(await_notification(session, "notifications/tools/list_changed"));
  CHECK(session.request_result("tools/list").at("tools").as_array().empty());
}
