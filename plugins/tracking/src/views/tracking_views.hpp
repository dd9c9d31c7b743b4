// tracking's MCP Apps views: HTML documents in views/, compiled in, each linked from its tool's definition
// by "_meta": {"ui": {"resourceUri": ...}}. Clients without the extension never see them (the host
// removes them), so every linked tool's content stays complete on its own.
#pragma once

#include <mcpd/sdk.hpp>

#include <string_view>

namespace mcpd::tracking::views {

// The funnel chart for funnels_run: a bar per step with its count, conversion and drop-off, and a table
// of the breakdown values when there are some.
inline constexpr std::string_view kFunnelChartUri = "ui://tracking/funnel-chart.html";

// The recording viewer for recording_frames: the frame large, a filmstrip, a timeline with the scene
// score of each frame and the keyframes marked, timestamps, redacted frames badged, keyboard navigation.
// It fetches more frames through recording_view_frames, which only it calls.
inline constexpr std::string_view kRecordingViewerUri = "ui://tracking/recording-viewer.html";

void add_views(sdk::registry& reg);

// recording_frames' definition made into the viewer's own tool: the same arguments and result, another
// name, and visible to the view only (clients without MCP Apps never see it, and no model pays for it).
sdk::tool_spec view_frames_tool(sdk::tool_spec recording_frames);

}  // namespace mcpd::tracking::views
