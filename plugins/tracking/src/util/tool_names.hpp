// The names a client calls the tracking tools by. tracking_plugin::init fixes them from the host's
// separator (sdk::host::tool_name_separator) before any handler can run, so errors and notes name tools
// as the client's tools/list shows them ("tracking_capture" by default). Before that (unit tests that call
// handlers directly) they are the dotted qualified names.
#pragma once

#include <string>
#include <string_view>

#include <mcpd/sdk/host.hpp>

namespace mcpd::tracking {

// Called once, by tracking_plugin::init.
void publish_tool_names(const sdk::host& services);

// "tracking_funnels_run" for "funnels_run" under the default separator.
std::string_view published_tool_name(std::string_view local_name);

// Another plugin's tool as the client sees it, e.g. ("gemini", "ask_about_images").
std::string published_tool_name(std::string_view plugin_namespace, std::string_view local_name);

// A qualified name ("gemini.ask_about_images", what nested calls use) as the client sees it.
std::string shown_tool_name(std::string_view qualified_name);

// A tool's name for messages, resolved when used: handlers keep one per file as a constant.
struct tool_label {
  std::string_view local_name;
  operator std::string_view() const { return published_tool_name(local_name); }
};

}  // namespace mcpd::tracking
