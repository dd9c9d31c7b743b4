// Redaction boxes: rectangles painted solid black on every frame before it is encoded, so nothing of what
// they cover survives in the PNG.
//
// A rule is {"type":"box","rect":{"x","y","w","h"}} with "unit" "px" (the default: pixels of the source
// video as it is shown, rotated and with square pixels, scaled with the frame) or "percent" (of the frame's
// width and height). Rules come from the configuration (checked at load time) and from each call's `redact`
// argument.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "images.hpp"

namespace mcpd::tracking::frames {

struct redaction_box {
  enum class unit { source_pixels, percent };
  unit in = unit::source_pixels;
  double x = 0, y = 0, w = 0, h = 0;
};

// Parses a JSON array of rules. `where` names it in messages ("plugin_config.tracking.redact_rules",
// "redact"). Each bad rule adds one sentence to `problems` and is left out.
std::vector<redaction_box> parse_redaction_rules(const boost::json::value& rules, std::string_view where,
                                                 std::vector<std::string>& problems);

// Paints the boxes on `image`, a frame shown `source_width` x `source_height` pixels (after the video's
// rotation and pixel aspect ratio) scaled to the image's size. Boxes grow by `pad_source_pixels` on every
// side (on 4:2:0 video the colour of what is hidden already bleeds a pixel or two past its edges) and then
// to whole pixels, so a scaled box never leaves a half-covered edge. True when at least one box touched the
// image.
bool paint_redactions(rgb_image& image, std::span<const redaction_box> boxes, int source_width,
                      int source_height, double pad_source_pixels = 0);

}  // namespace mcpd::tracking::frames
