// test_trigger_tool_change and test_trigger_prompt_change: the 2026-07-28
// suite calls them while it listens (subscriptions/listen) and expects
// notifications/tools/list_changed or prompts/list_changed on its stream. A
// plugin's lists are fixed once it is loaded, so the lists change the way
// they change in production: a hot swap. Each call moves the extra plugin
// (one tool, one prompt; plugin_config.conformance.extra_plugin) into the
// watched plugins directory (plugins_dir), or takes it out again, and mcpd's
// watcher reloads. Without that configuration the tools say so and change
// nothing.
#include <filesystem>
#include <string>
#include <system_error>

#include "fixtures.hpp"

namespace conformance {

namespace {

namespace fs = std::filesystem;

struct trigger_paths {
  fs::path extra_plugin;  // the file to drop in
  fs::path plugins_dir;   // the watched directory
};

trigger_paths& paths() {
  static trigger_paths configured;
  return configured;
}

sdk::tool_result toggle_extra_plugin(sdk::call_context&, const json::object&) {
  const trigger_paths& p = paths();
  if (p.extra_plugin.empty() || p.plugins_dir.empty())
    return sdk::tool_result::error(
        "no list can change: plugin_config.conformance.extra_plugin and plugins_dir are not set");
  const fs::path installed = p.plugins_dir / "conformance_extra.so";
  std::error_code ec;
  if (fs::exists(installed, ec)) {
    fs::remove(installed, ec);
    if (ec) return sdk::tool_result::error("cannot remove " + installed.string() + ": " + ec.message());
    return sdk::tool_result{}.text("removed the extra plugin: its tool and prompt leave the lists");
  }
  // Copied beside the watched name first, then renamed: the watcher never sees half a file.
  const fs::path partial = p.plugins_dir / ".conformance_extra.so.partial";
  fs::copy_file(p.extra_plugin, partial, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::rename(partial, installed, ec);
  if (ec) return sdk::tool_result::error("cannot install " + installed.string() + ": " + ec.message());
  return sdk::tool_result{}.text("installed the extra plugin: its tool and prompt join the lists");
}

}  // namespace

void configure_list_change_triggers(const json::object& config) {
  auto path_of = [&](std::string_view key) {
    const auto* v = config.if_contains(key);
    return v != nullptr && v->is_string() ? fs::path(std::string(v->as_string())) : fs::path();
  };
  paths() = {path_of("extra_plugin"), path_of("plugins_dir")};
}

void register_list_change_triggers(sdk::registry& registry) {
  registry.tool({.name = "test_trigger_tool_change",
                 .description = "Adds or removes a plugin in the watched directory, changing the tool list.",
                 .input_schema = no_arguments_schema()},
                toggle_extra_plugin);
  registry.tool(
      {.name = "test_trigger_prompt_change",
       .description = "Adds or removes a plugin in the watched directory, changing the prompt list.",
       .input_schema = no_arguments_schema()},
      toggle_extra_plugin);
}

}  // namespace conformance
