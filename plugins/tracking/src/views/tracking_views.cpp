#include "tracking_views.hpp"

#include <stdexcept>
#include <string>
#include <string_view>

#include "../tool_definitions.hpp"

namespace mcpd::tracking::views {
namespace {

// A view's HTML with the shared host bridge (app_bridge.js) where its script says "// @app_bridge.js":
// one copy of the protocol code in the source, and still one self-contained document per view.
std::string view_html(std::string_view file) {
  constexpr std::string_view kMarker = "// @app_bridge.js";
  std::string html(sdk::embedded_text(embedded_text_files(), file));
  const auto at = html.find(kMarker);
  if (at == std::string::npos) throw std::logic_error(std::string(file) + " does not include the app bridge");
  html.replace(at, kMarker.size(), sdk::embedded_text(embedded_text_files(), "app_bridge.js"));
  return html;
}

}  // namespace

void add_views(sdk::registry& reg) {
  sdk::add_view(reg, {.uri = std::string(kFunnelChartUri),
                      .name = "funnel-chart",
                      .title = "Funnel chart",
                      .description = "The steps of a funnel as bars, with counts, conversion and drop-off",
                      .html = view_html("funnel_chart.html"),
                      .ui = {{"prefersBorder", true}}});
  sdk::add_view(reg,
                {.uri = std::string(kRecordingViewerUri),
                 .name = "recording-viewer",
                 .title = "Recording viewer",
                 .description = "The frames of a session recording with a timeline, keyframes and timestamps",
                 .html = view_html("recording_viewer.html"),
                 .ui = {{"prefersBorder", true}}});
}

sdk::tool_spec view_frames_tool(sdk::tool_spec recording_frames) {
  sdk::tool_spec spec = std::move(recording_frames);
  spec.name = "recording_view_frames";
  spec.title = "Recording viewer frames";
  spec.description =
      "The recording viewer's own tool: more frames of a recording for the person looking at it. Takes and "
      "returns what recording_frames does.";
  spec.meta = sdk::view_link(kRecordingViewerUri, sdk::view_audience::app_only);
  return spec;
}

}  // namespace mcpd::tracking::views
