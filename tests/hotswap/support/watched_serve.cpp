#include "support/watched_serve.hpp"

namespace hotswap_test {
namespace json = boost::json;

mcpd_test::ServeOptions watched(const ScratchDir& plugins, const ScratchDir& scratch) {
  mcpd_test::ServeOptions options;
  options.plugin_dirs = {plugins.path().string()};
  options.config =
      json::object{{"plugins", {{"debounce_ms", 20}, {"staging_dir", (scratch / "staging").string()}}}};
  return options;
}

std::optional<json::value> await_tools_changed(mcpd_test::McpSession& session,
                                               std::chrono::milliseconds timeout) {
  return session.await_message(
      [](const json::value& m) {
        const auto* o = m.if_object();
        return o != nullptr && o->contains("method") &&
               o->at("method").as_string() == "notifications/tools/list_changed";
      },
      timeout);
}

}  // namespace hotswap_test
