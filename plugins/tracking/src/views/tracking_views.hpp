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

void add_views(sdk::registry& reg);

}  // namespace mcpd::tracking::views
