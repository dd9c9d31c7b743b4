// MCP Apps views (the io.modelcontextprotocol/ui extension): an HTML view a client renders inline, fed by
// the result of the tools linked to it.
//
//   sdk::add_view(reg, {.uri = "ui://weather/chart.html", .name = "Forecast chart", .html = kChartHtml,
//                       .ui = {{"prefersBorder", true}}});
//   reg.tool({.name = "forecast", ..., .meta = sdk::view_link("ui://weather/chart.html")}, forecast);
//   reg.tool({.name = "forecast_hour", ..., .meta = sdk::view_link("ui://weather/chart.html",
//                                                                  sdk::view_audience::app_only)}, hour);
//
// A client that declared the extension sees the view, the links and the app-only tools; any other client
// sees the tools as if there were no view (mcpd removes _meta.ui and the app-only tools for it), so every
// linked tool still returns complete content for it.
#ifndef MCPD_SDK_APP_VIEWS_HPP
#define MCPD_SDK_APP_VIEWS_HPP

#include <mcpd/sdk/registry.hpp>
#include <mcpd/sdk/resource_result.hpp>
#include <mcpd/sdk/specs.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace mcpd::sdk {

/// The MIME type of an MCP Apps view.
inline constexpr std::string_view app_view_mime_type = "text/html;profile=mcp-app";

/// Who may call a tool linked to a view: the model and the view (the default), or only the view (a tool
/// the view uses to fetch more, which the model's context should not pay for).
enum class view_audience { model_and_app, app_only };

/// The tool's "_meta" linking it to the view at `resource_uri`.
[[nodiscard]] inline json::object view_link(std::string_view resource_uri,
                                            view_audience audience = view_audience::model_and_app) {
  json::object ui{{"resourceUri", resource_uri}};
  if (audience == view_audience::app_only) ui["visibility"] = json::array{"app"};
  return json::object{{"ui", std::move(ui)}};
}

/// A view: one self-contained HTML document (inline CSS and script; anything it loads from elsewhere
/// must be listed in ui.csp).
struct view_spec {
  std::string uri{};  ///< "ui://<namespace>/<file>.html"
  std::string name{}, title{}, description{};
  std::string html{};
  /// _meta.ui: csp {connectDomains, resourceDomains, frameDomains, baseUriDomains}, permissions,
  /// domain, prefersBorder. mcpd sends it with the view's contents too.
  json::object ui{};
};

/// Registers the view as a resource of type text/html;profile=mcp-app that reads as its HTML.
inline void add_view(registry& reg, view_spec spec) {
  resource_spec resource{.uri = spec.uri,
                         .name = std::move(spec.name),
                         .title = std::move(spec.title),
                         .description = std::move(spec.description),
                         .mime_type = std::string(app_view_mime_type),
                         .size = spec.html.size()};
  if (!spec.ui.empty()) resource.meta = json::object{{"ui", std::move(spec.ui)}};
  reg.resource(std::move(resource), [uri = std::move(spec.uri), html = std::move(spec.html)](
                                        call_context&, std::string_view, const json::object&) {
    return resource_result{}.text(uri, app_view_mime_type, html);
  });
}

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_APP_VIEWS_HPP
