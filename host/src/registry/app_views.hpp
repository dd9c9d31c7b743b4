#pragma once
// MCP Apps (the io.modelcontextprotocol/ui extension): a plugin ships a view as a ui:// resource of type
// text/html;profile=mcp-app and links tools to it with _meta.ui.resourceUri; a tool whose
// _meta.ui.visibility leaves out "model" is for the view alone. A client that declared the extension sees
// all of it. Any other client sees the lists exactly as if there were no views: no app-only tool, no view
// resource, no _meta.ui. These helpers decide which entry is which, once per snapshot.
#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

namespace mcpd::registry {

inline constexpr std::string_view kAppsExtension = "io.modelcontextprotocol/ui";
inline constexpr std::string_view kAppMimeType = "text/html;profile=mcp-app";

// Whether the client's capabilities declare the extension (extensions["io.modelcontextprotocol/ui"], an
// object whose mimeTypes, when given, include text/html;profile=mcp-app).
bool declares_apps(const boost::json::object& client_capabilities);

// A Tool object whose _meta.ui.visibility is an array without "model": only a view may call it.
bool is_app_only_tool(const boost::json::object& tool);

// The Tool object without _meta.ui (and the deprecated _meta["ui/resourceUri"]), or nullopt when it has
// neither: what a client without the extension is shown.
std::optional<boost::json::object> without_app_meta(const boost::json::object& tool);

// A Resource or ResourceTemplate object whose mimeType is the view type.
bool is_app_view(const boost::json::object& resource);

// A view declares its _meta.ui (csp, permissions, domain, prefersBorder) once, when it registers the
// resource; hosts read it from the resources/read contents. Copies it onto each entry of `read_result`
// for the same URI that carries no _meta of its own.
void carry_view_meta(const boost::json::object& listed_resource, boost::json::object& read_result);

}  // namespace mcpd::registry
