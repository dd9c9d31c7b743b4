#include "tracking_views.hpp"

#include <string>

#include "../tool_definitions.hpp"

namespace mcpd::tracking::views {

void add_views(sdk::registry& reg) {
  sdk::add_view(reg, {.uri = std::string(kFunnelChartUri),
                      .name = "funnel-chart",
                      .title = "Funnel chart",
                      .description = "The steps of a funnel as bars, with counts, conversion and drop-off",
                      .html = std::string(sdk::embedded_text(embedded_text_files(), "funnel_chart.html")),
                      .ui = {{"prefersBorder", true}}});
}

}  // namespace mcpd::tracking::views
