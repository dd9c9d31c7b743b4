// Contact sheet: many frames tiled into one image, each labelled with its timestamp, so an agent sees a
// whole recording for the price of one image (a 1280 px sheet of 16 tiles costs what one frame costs).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "images.hpp"

namespace mcpd::tracking::frames {

// Columns of a sheet for `count` tiles: about square, wider than tall.
int contact_sheet_columns(std::size_t count);

// Width of each tile when `count` tiles share a sheet `sheet_width` pixels wide (at least 64).
int contact_sheet_tile_width(std::size_t count, int sheet_width);

// Tiles `tiles` (all at most tile_width wide) left to right, top to bottom, on a dark grey background,
// with "m:ss.d" drawn in the top-left corner of each. `times_ms` has one entry per tile.
rgb_image tile_contact_sheet(std::span<const rgb_image> tiles, std::span<const std::int64_t> times_ms);

// "1:05.3" for 65300 ms; "12:00:01.0" past an hour.
std::string format_timestamp(std::int64_t ms);

}  // namespace mcpd::tracking::frames
