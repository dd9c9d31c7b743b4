// Plain pixel buffers the frame pipeline passes around, tightly packed (no row padding).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mcpd::tracking::frames {

// 8-bit RGB, 3 bytes per pixel, rows top to bottom.
struct rgb_image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;

  std::uint8_t* pixel(int x, int y) { return pixels.data() + (static_cast<std::size_t>(y) * width + x) * 3; }
  const std::uint8_t* pixel(int x, int y) const {
    return pixels.data() + (static_cast<std::size_t>(y) * width + x) * 3;
  }
};

// 8-bit luma, 1 byte per pixel: the small thumbnails scene scoring compares.
struct gray_image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;
};

}  // namespace mcpd::tracking::frames
