// Shrinking an image whose long edge is over the configured limit, so requests stay small and fast (the
// model sees no more detail in a 4000-px screenshot than in a 1280-px one, see the reference's section 5).
// Decoding is libavcodec's (PNG, JPEG, WebP), scaling libswscale's area filter, encoding lodepng's PNG.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "image_format.hpp"

namespace mcpd::gemini {

struct encoded_image {
  std::vector<std::uint8_t> png;
  int width = 0;
  int height = 0;
};

// The size that fits `width` x `height` into `max_long_edge` keeping the aspect ratio (never larger than
// the original, never below 1 px).
void fit_long_edge(int width, int height, int max_long_edge, int& out_width, int& out_height);

// Decodes `bytes` (in `format`), scales it to fit `max_long_edge` and encodes it as PNG (RGBA when the
// source has alpha, RGB otherwise). Throws std::runtime_error saying what failed (the data does not decode,
// for example).
// Keeps FFmpeg's libraries in the process after the plugin unloads (sdk::keep_loaded): they are not safe
// to unload, and the plugin's next version reuses them. Called from init().
void keep_libav_loaded() noexcept;

encoded_image downscale_to_png(std::span<const std::uint8_t> bytes, image_format format, int max_long_edge);

}  // namespace mcpd::gemini
