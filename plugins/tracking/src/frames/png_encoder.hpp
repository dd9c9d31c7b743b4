// PNG encoding tuned for screen content: lodepng writes the PNG, zlib at level 1 compresses it.
//
// Reference section 4 measured 1280x720 frames: lodepng's own deflate 54-99 ms, this path 8.6-17 ms with
// files within 15% of the size. Filter "none" (LFS_ZERO) suits flat UI colours and text, where the
// adaptive filters cost time and gain little.
#pragma once

#include <cstdint>
#include <vector>

#include "images.hpp"

namespace mcpd::tracking::frames {

// Throws std::runtime_error if lodepng or zlib fail (out of memory).
std::vector<std::uint8_t> encode_png(const rgb_image& image);

}  // namespace mcpd::tracking::frames
