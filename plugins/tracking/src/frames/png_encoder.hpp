// PNG encoding tuned for screen content: 8-bit RGB rows, filter "none", compressed by zlib at level 2
// straight from the image, with no filtered copy of it.
//
// Measured with bench/png (tracking_png_bench) on 1280x720 frames against ffmpeg's PNG encoder (no
// filter, zlib's default level) on the same frames: UI text and flat colour come out 1.07x its size
// (level 1: 1.10x), UI with a photo 1.08x (1.12x), several times faster. Row filters (sub, up, paeth,
// per-row min-sum) make UI text larger at these levels, not smaller, and cost time.
#pragma once

#include <cstdint>
#include <vector>

#include "images.hpp"

namespace mcpd::tracking::frames {

// Throws std::runtime_error if zlib fails (out of memory).
std::vector<std::uint8_t> encode_png(const rgb_image& image);

}  // namespace mcpd::tracking::frames
