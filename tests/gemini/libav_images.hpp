// JPEG and WebP test images made with libavcodec's own encoders (mjpeg, libwebp), so the plugin's header
// parsing and decoding are checked against real encoder output rather than hand-made bytes.
#pragma once

#include <cstdint>
#include <vector>

namespace gemini_test {

// A baseline JPEG (4:2:0) of width x height with a gradient.
std::vector<std::uint8_t> make_jpeg(int width, int height);
// A WebP of width x height: lossy (a "VP8 " chunk) or lossless (a "VP8L" chunk). Empty when this FFmpeg
// build has no libwebp encoder.
std::vector<std::uint8_t> make_webp(int width, int height, bool lossless);

}  // namespace gemini_test
